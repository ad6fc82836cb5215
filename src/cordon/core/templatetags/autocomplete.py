"""`{% autocomplete "person" "person_id" %}`: the shared search widget (cordon.core.autocomplete) in a template that
writes its inputs by hand."""

from django import template
from django.template.loader import render_to_string

from cordon.core.autocomplete import search_context

register = template.Library()


@register.simple_tag
def autocomplete(kind, name, *, value="", label="", placeholder="", required=False, input_id=None):
    """Render a search box for `kind` whose chosen value is posted as `name`."""
    widget = search_context(kind, name=name, value=value, label=label, placeholder=placeholder, required=required,
                            input_id=input_id)
    return render_to_string("core/widgets/search.html", {"widget": widget})
