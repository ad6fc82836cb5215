"""`{% load documents %}{% document_buttons "stay" stay %}` on a record's page (risk person, quarantine stay, zone):
the documents issued from it and a button for each kind the user may issue from it now."""

from django import template

from cordon.documents import selectors

register = template.Library()


@register.inclusion_tag("documents/_buttons.html", takes_context=True)
def document_buttons(context, record: str, obj):
    """The record's documents and issue buttons."""
    request = context["request"]
    choices = selectors.issue_choices(actor=request.user, record=record, record_id=obj.pk, region_path=obj.region_path,
                                      state=obj.status)
    return {**choices, "back": request.get_full_path(), "csrf_token": context.get("csrf_token")}
