"""`{% can "screening.sample" row.region_path as may_sample %}`: whether the signed-in user holds a permission (at a
region), so a page shows only the links and buttons its user may use (cordon.core.access decides)."""

from django import template

from cordon.core import access

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, perm: str, region_path: str | None = None) -> bool:
    """True when the request's user holds `perm` (at `region_path` when given)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and access.can(user, perm, region_path or None))
