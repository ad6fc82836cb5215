"""`{% autocomplete "person" "person_id" %}`: the shared search widget (cordon.core.autocomplete) in a template that
writes its inputs by hand; a value already chosen (a filter's) is shown by its name, looked up for the user."""

from django import template
from django.template.loader import render_to_string

from cordon.core.autocomplete import labels, search_context

register = template.Library()


@register.simple_tag(takes_context=True)
def autocomplete(context, kind, name, *, value="", label="", placeholder="", required=False, input_id=None):
    """Render a search box for `kind` whose chosen value is posted as `name`."""
    value = "" if value is None else str(value)
    if value and not label:
        request = context.get("request")
        found = labels(kind, actor=getattr(request, "user", None), values=[value])
        label = found[value].label if value in found else ""
    widget = search_context(kind, name=name, value=value, label=label, placeholder=placeholder, required=required,
                            input_id=input_id)
    return render_to_string("core/widgets/search.html", {"widget": widget})
