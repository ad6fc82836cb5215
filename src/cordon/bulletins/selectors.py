"""Reads of bulletins: the officers' list (scoped) and the public portal (published only, nothing personal)."""

from collections.abc import Mapping

from django.db.models import QuerySet
from django.http import Http404

from cordon.bulletins.filters import BulletinFilter
from cordon.bulletins.models import Bulletin, BulletinStatus
from cordon.core import access
from cordon.zones import selectors as zones_selectors


def bulletin_list(*, actor, filters: Mapping | None = None) -> QuerySet[Bulletin]:
    """Bulletins inside the actor's area, newest cut-off first, filtered by BulletinFilter (status)."""
    return BulletinFilter.apply(filters, Bulletin.objects.visible_to(actor, "view"))


def bulletin_get(*, actor, pk: int, action: str = "view") -> Bulletin:
    """One bulletin (404 outside the actor's area)."""
    return access.get_for(actor, Bulletin.objects.all(), action, pk=pk)


def published(*, limit: int | None = 50) -> QuerySet[Bulletin]:
    """Published bulletins for the public portal."""
    qs = Bulletin.objects.filter(status=BulletinStatus.PUBLISHED).order_by("-published_at").only(
        "id", "title", "published_text", "published_at", "cut_off", "region_path")
    return qs[:limit] if limit else qs


def published_get(*, pk: int) -> Bulletin:
    """One published bulletin (404 otherwise)."""
    b = Bulletin.objects.filter(status=BulletinStatus.PUBLISHED, pk=pk).first()
    if b is None:
        raise Http404("not found")
    return b


def risk_areas() -> list[dict]:
    """Public risk areas: the zones in force as published (zones.selectors.public_risk_areas)."""
    return list(zones_selectors.public_risk_areas())
