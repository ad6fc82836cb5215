"""Writes for bulletins: draft from the reports metrics at a cut-off, edit (a new version each time),
approve, publish, withdraw. Figures are never typed in; the text's placeholders are filled from the
figures frozen at drafting, which are the reports metrics at the same cut-off."""

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from cordon.bulletins import rules
from cordon.bulletins.models import Bulletin, BulletinStatus, BulletinVersion
from cordon.core import access, audit, clock
from cordon.core.errors import ServiceError
from cordon.regions.models import Region
from cordon.regions.selectors import root_path
from cordon.reports import metrics
from cordon.reports import services as reports_services


def _region(region_path: str):
    region = Region.objects.filter(path=region_path).first()
    if region is None:
        raise ServiceError.field("region_path", _("unknown region %(region_path)r") % {"region_path": region_path})
    return region


def _allowed() -> set[str]:
    return set(metrics.FIGURES) | {"region", "date", "year"}


def _check(title: str, body: str) -> None:
    if not (title or "").strip():
        raise ServiceError.field("title", _("is required"))
    if not (body or "").strip():
        raise ServiceError.field("body", _("is required"))
    for field, text in (("title", title), ("body", body)):
        bad = rules.unknown_placeholders(text, _allowed())
        if bad:
            raise ServiceError.field(field, "unknown placeholder(s): " + ", ".join(bad) + "; use figure names such as {cases_new}")


def _check_rendered(title: str, body: str, *, figures: dict, region: str, cut_off: dt.datetime) -> None:
    """The text as it would be published: every placeholder filled, no brace left (a doubled {{ }} prints one)."""
    values = rules.context(figures=figures, region=region, cut_off=clock.local(cut_off))
    for field, text in (("title", title), ("body", body)):
        left = rules.leftover_placeholders(rules.render(text, values))
        if left:
            raise ServiceError.field(field, _("the published text would still show %(left)s; fill or remove it") % {"left": ", ".join(left)})


def _record(bulletin: Bulletin, actor, note: str, action: str, changes: dict | None = None) -> None:
    """Keep the bulletin's text and state as a version (with a note) and audit the step (changes default to the version)."""
    BulletinVersion.objects.create(bulletin=bulletin, version=bulletin.version, title=bulletin.title, body=bulletin.body,
                                   status=bulletin.status, note=note, by=access.user_or_none(actor))
    audit.record(actor, f"bulletin.{action}", bulletin, changes={"version": bulletin.version} if changes is None else changes)


MAX_CUT_OFF_AGE_DAYS = 366


def default_cut_off(on: dt.date | None = None) -> dt.datetime:
    """Midnight at the start of today (the bulletin covers yesterday 0-24h)."""
    on = on or clock.today()
    return clock.day_start(on)


def bulletin_draft(*, actor, region_path: str = "", cut_off: dt.datetime | None = None, title: str = "", body: str = "") -> Bulletin:
    """Draft a bulletin from the metrics at a cut-off (the standard text unless one is given)."""
    region_path = region_path or root_path()
    if not access.can(actor, "bulletins.view", region_path):
        raise Http404("not found")  # another district's region is not revealed (as an unknown one inside the area)
    region = _region(region_path)
    access.require(actor, "bulletins.change", region_path)
    cut_off = clock.aware(cut_off or default_cut_off()).replace(second=0, microsecond=0)  # a naive cut-off is city time
    if cut_off > clock.now():
        raise ServiceError.field("cut_off", _("must not be in the future"))
    if cut_off < clock.now() - dt.timedelta(days=MAX_CUT_OFF_AGE_DAYS):
        raise ServiceError.field("cut_off", _("is more than %(MAX_CUT_OFF_AGE_DAYS)s days ago; a bulletin reports recent figures") % {"MAX_CUT_OFF_AGE_DAYS": MAX_CUT_OFF_AGE_DAYS})
    began = metrics.outbreak_start(region_path=region_path)
    if began is not None and cut_off < began.replace(second=0, microsecond=0):  # cut-offs are whole minutes
        raise ServiceError.field("cut_off", _("must not be before the outbreak began (first case %(at)s)")
                                 % {"at": f"{clock.local(began):%Y-%m-%d %H:%M}"})
    title = title or rules.DEFAULT_TITLE
    body = body or rules.DEFAULT_BODY
    _check(title, body)
    figures = reports_services.figures_at(region_path=region_path, cut_off=cut_off)
    _check_rendered(title, body, figures=figures, region=region.name, cut_off=cut_off)
    with transaction.atomic():
        b = Bulletin.objects.create(region_path=region_path, cut_off=cut_off, title=title, body=body, figures=figures,
                                    created_by=access.user_or_none(actor))
        _record(b, actor, "draft", "draft", {"cut_off": cut_off, "region": region.name})
    return b


def bulletin_edit(*, actor, bulletin: Bulletin, title: str, body: str) -> Bulletin:
    """Edit the text (a new version; an approved bulletin goes back to draft and needs approval again)."""
    access.require(actor, "bulletins.change", bulletin.region_path)
    if bulletin.status in (BulletinStatus.PUBLISHED, BulletinStatus.WITHDRAWN):
        raise ServiceError.field("status", _("a published bulletin cannot be edited; draft a new one"), code="state")
    _check(title, body)
    _check_rendered(title, body, figures=bulletin.figures, region=_region(bulletin.region_path).name, cut_off=bulletin.cut_off)
    with transaction.atomic():
        bulletin.title, bulletin.body = title.strip(), body.strip()
        bulletin.status = BulletinStatus.DRAFT
        bulletin.version += 1
        bulletin.approved_by = bulletin.approved_at = None
        bulletin.save()
        _record(bulletin, actor, "edit", "edit")
    return bulletin


def bulletin_approve(*, actor, bulletin: Bulletin) -> Bulletin:
    """Approve a draft for publication."""
    access.require(actor, "bulletins.approve", bulletin.region_path)
    if bulletin.status != BulletinStatus.DRAFT:
        raise ServiceError.field("status", _("only a draft can be approved"), code="state")
    with transaction.atomic():
        bulletin.status, bulletin.approved_by, bulletin.approved_at = BulletinStatus.APPROVED, actor, clock.now()
        bulletin.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        _record(bulletin, actor, "approved", "approve")
    return bulletin


def rendered(bulletin: Bulletin) -> tuple[str, str]:
    """(title, text) with the figures filled in."""
    values = rules.context(figures=bulletin.figures, region=_region(bulletin.region_path).name, cut_off=clock.local(bulletin.cut_off))
    return rules.render(bulletin.title, values), rules.render(bulletin.body, values)


def bulletin_publish(*, actor, bulletin: Bulletin) -> Bulletin:
    """Publish an approved bulletin to the public portal."""
    access.require(actor, "bulletins.publish", bulletin.region_path)
    if bulletin.status != BulletinStatus.APPROVED:
        raise ServiceError.field("status", _("approve the bulletin before publishing it"), code="state")
    title, text = rendered(bulletin)
    left = rules.leftover_placeholders(title) + rules.leftover_placeholders(text)
    if left:
        raise ServiceError.field("body", _("the published text would still show %(left)s; fill or remove it") % {"left": ", ".join(left)})
    with transaction.atomic():
        bulletin.published_text = f"{title}\n\n{text}"
        bulletin.status, bulletin.published_by, bulletin.published_at = BulletinStatus.PUBLISHED, actor, clock.now()
        bulletin.save(update_fields=["published_text", "status", "published_by", "published_at", "updated_at"])
        _record(bulletin, actor, "published", "publish")
    return bulletin


def bulletin_withdraw(*, actor, bulletin: Bulletin, reason: str) -> Bulletin:
    """Take a published bulletin off the portal (kept with its history)."""
    access.require(actor, "bulletins.publish", bulletin.region_path)
    if bulletin.status != BulletinStatus.PUBLISHED:
        raise ServiceError.field("status", _("only a published bulletin can be withdrawn"), code="state")
    if not (reason or "").strip():
        raise ServiceError.field("reason", _("is required"))
    with transaction.atomic():
        bulletin.status = BulletinStatus.WITHDRAWN
        bulletin.save(update_fields=["status", "updated_at"])
        _record(bulletin, actor, f"withdrawn: {reason}"[:200], "withdraw", {"reason": reason})
    return bulletin
