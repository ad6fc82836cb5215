"""Reads of self-reporting: enrolments with their state on a city day, a person's history (masked by default), the
day's summary per grid or street (scoped), and the city figures the daily report counts (unscoped, by region)."""

import datetime as dt
from collections.abc import Mapping

from django.db.models import Exists, OuterRef, Q, QuerySet

from cordon.core import access, clock
from cordon.core.filters import inside
from cordon.people import selectors as people_selectors
from cordon.regions.models import Region
from cordon.selfreport import rules
from cordon.selfreport.filters import EnrolmentFilter
from cordon.selfreport.models import Enrolment, Miss, Reminder, Report

# region path depth of each summary level: city.district.street.community.grid
LEVEL_PARTS = {"street": 3, "community": 4, "grid": 5}


def _on(qs: QuerySet, day: dt.date, *, before: dt.datetime | None = None) -> QuerySet:
    """Enrolments that cover a city day (active then), annotated with the day's report, fever and miss (reports made
    before `before` only, when given)."""
    reports = Report.objects.filter(enrolment=OuterRef("pk"), day=day)
    if before is not None:
        reports = reports.filter(at__lt=before)
    return (qs.filter(start__lte=day, end__gte=day).filter(Q(active=True) | Q(ended_at__gte=clock.day_start(day) + dt.timedelta(days=1)))
            .annotate(reported=Exists(reports), alarm=Exists(reports.filter(Q(fever=True) | ~Q(symptoms=[]))),
                      missed=Exists(Miss.objects.filter(enrolment=OuterRef("pk"), day=day))))


def enrolment_list(*, actor, filters: Mapping | None = None, day: dt.date | None = None) -> QuerySet[Enrolment]:
    """Enrolments in the actor's area covering a city day (default today), with that day's state; EnrolmentFilter
    (state reported/fever/missing, kind, region)."""
    day = day or clock.today()
    qs = _on(Enrolment.objects.visible_to(actor, "view"), day).select_related("person").order_by("region_path", "id")
    return EnrolmentFilter.apply(filters, qs)


def enrolment_get(*, actor, pk: int, action: str = "view") -> Enrolment:
    """One enrolment (404 outside the actor's area)."""
    return access.get_for(actor, Enrolment.objects.select_related("person"), action, pk=pk)


def enrolment_by_token(*, token: str) -> Enrolment | None:
    """The enrolment a personal link names (any state: the page says when it has ended), or None."""
    return Enrolment.objects.select_related("person").filter(token_hash=rules.token_hash(token)).first()


def reports_of(*, actor, enrolment: Enrolment) -> QuerySet[Report]:
    """A person's reports, newest day first."""
    return Report.objects.visible_to(actor, "view").filter(enrolment=enrolment).order_by("-day")


def misses_of(*, actor, enrolment: Enrolment) -> QuerySet[Miss]:
    """A person's missed days, newest first."""
    return Miss.objects.visible_to(actor, "view").filter(enrolment=enrolment).order_by("-day")


def reminders_of(*, actor, enrolment: Enrolment) -> QuerySet[Reminder]:
    """Links sent to a person, newest first."""
    return Reminder.objects.visible_to(actor, "view").filter(enrolment=enrolment).order_by("-at", "-id")


def report_list(*, actor, day: dt.date | None = None) -> QuerySet[Report]:
    """Reports in the actor's area (one city day, or all), newest first."""
    qs = Report.objects.visible_to(actor, "view").select_related("enrolment__person").order_by("-day", "-at", "id")
    return qs.filter(day=day) if day else qs


def card(enrolment: Enrolment, *, actor, unmask: bool = False) -> dict:
    """The enrolled person as shown to an officer: masked unless asked and permitted (people.unmask, audited)."""
    return people_selectors.person_card(enrolment.person, actor=actor, unmask=unmask)


def _count(rows) -> dict:
    out = {"enrolled": 0, "reported": 0, "missing": 0, "fever": 0, "missed": 0}
    for reported, alarm, missed in rows:
        out["enrolled"] += 1
        out["reported"] += int(reported)
        out["missing"] += int(not reported)
        out["fever"] += int(alarm)
        out["missed"] += int(missed)
    return out


def summary(*, actor, day: dt.date | None = None, level: str = "grid") -> list[dict]:
    """Per grid, community or street inside the actor's area: people enrolled on the day, who reported, who has not
    (yet), fever or symptoms, and misses filed after the cut-off."""
    day = day or clock.today()
    parts = LEVEL_PARTS.get(level, 5)
    groups: dict[str, list] = {}
    for path, reported, alarm, missed in _on(Enrolment.objects.visible_to(actor, "view"), day).values_list(
            "region_path", "reported", "alarm", "missed").iterator():
        groups.setdefault(".".join(path.split(".")[:parts]), []).append((reported, alarm, missed))
    names = dict(Region.objects.filter(path__in=list(groups)).values_list("path", "name"))
    return [{"region_path": path, "region": names.get(path, path), **_count(rows)} for path, rows in sorted(groups.items())]


def totals(rows: list[dict]) -> dict:
    """The sum of summary rows."""
    keys = ("enrolled", "reported", "missing", "fever", "missed")
    return {k: sum(r[k] for r in rows) for k in keys}


def day_figures(*, region_path: str, day: dt.date, cut_off: dt.datetime | None = None) -> dict:
    """The daily report's figures for a region (no actor: the command's snapshot): people enrolled on the day, who
    reported (before the cut-off, when given), who did not, and fever or symptoms."""
    rows = _on(Enrolment.objects.filter(inside(region_path)), day, before=cut_off).values_list("reported", "alarm", "missed")
    return _count(rows)


def report_on(*, enrolment: Enrolment, day: dt.date) -> Report | None:
    """The enrolment's report of a city day (the person's own page: the token is the credential)."""
    return Report.objects.filter(enrolment=enrolment, day=day).first()


def report_get(*, actor, pk: int, action: str = "view") -> Report:
    """One report (404 outside the actor's area)."""
    return access.get_for(actor, Report.objects.select_related("enrolment__person"), action, pk=pk)
