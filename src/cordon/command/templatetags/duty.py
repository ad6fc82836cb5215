"""`{% responsible_line "zone" zone %}`: who answers for an object now (包保责任人 and deputy, from the duty roster),
for any app's page about a zone, site, checkpoint, testing site or round, grid, closure, gathering, loan or task."""

from django import template
from django.template.loader import render_to_string

from cordon.command.services import roster

register = template.Library()


@register.simple_tag(takes_context=True)
def responsible_line(context, object_type: str, obj, region_path: str = ""):
    """The responsible person and deputy of `obj` (its pk and region_path), linked to their pages."""
    path = region_path or getattr(obj, "region_path", "") or getattr(obj, "path", "")
    object_id = "" if object_type == "region" else getattr(obj, "pk", "")
    duty = roster.responsible_for(object_type=object_type, object_id=object_id, region_path=path)
    return render_to_string("command/_responsible_line.html", {"duty": duty}, request=context.get("request"))
