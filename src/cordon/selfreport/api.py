"""Selfreport API: enrolments with the day's state, a person's reports, the day's summary per area, resend of the link,
and the person's own report through the personal link (no login: the token is the credential, rate-limited)."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cordon.core import clock, pii, throttle
from cordon.core.apikit import Id, actor
from cordon.core.errors import ServiceError
from cordon.core.pagination import MappedRows, Pagination
from cordon.selfreport import selectors, services

router = Router(tags=["selfreport"])


class SelfreportEnrolmentOut(Schema):
    id: int
    person_id: int
    name: str = Field(description="masked")
    phone: str = Field(description="masked")
    kind: str
    start: dt.date
    end: dt.date
    active: bool
    region_path: str
    reported: bool = Field(description="reported on the day asked (default today)")
    fever: bool = Field(description="a fever or a symptom reported that day")
    missed: bool = Field(description="a missed-report task was filed that day")


class SelfreportReportOut(Schema):
    id: int
    day: dt.date
    at: dt.datetime
    temperature: float
    symptoms: list[str]
    fever: bool
    submissions: int


class SelfreportAreaOut(Schema):
    region_path: str
    region: str
    enrolled: int
    reported: int
    missing: int
    fever: int
    missed: int


class SelfreportSummaryOut(Schema):
    day: dt.date
    level: str
    cutoff_hour: int
    total: dict[str, int]
    areas: list[SelfreportAreaOut]


class SelfreportReminderOut(Schema):
    id: int
    day: dt.date
    at: dt.datetime
    round: int


class SelfreportSubmitIn(Schema):
    answers: dict[str, Any] | None = Field(None, description="answers to the current self-report questionnaire, by question code "
                                                              "(GET /api/v1/questionnaires/... shows it); or temperature and symptoms")
    temperature: float | None = Field(None, description="°C (when no answers are given)")
    symptoms: list[str] = Field(default_factory=list, description="symptom codes of the questionnaire (when no answers are given); none: []")


class SelfreportSubmitOut(Schema):
    day: dt.date
    temperature: float
    fever: bool
    submissions: int = Field(description="reports sent today (the latest counts)")
    name: str = Field(description="first character of the name only")


def _enrolment_row(e) -> dict:
    return {"id": e.pk, "person_id": e.person_id, "name": pii.mask_name(e.person.name), "phone": pii.mask_phone(e.person.phone),
            "kind": e.kind, "start": e.start, "end": e.end, "active": e.active, "region_path": e.region_path,
            "reported": e.reported, "fever": e.alarm, "missed": e.missed}


@router.get("/enrolments", response=list[SelfreportEnrolmentOut])
@paginate(Pagination)
def list_enrolments(request, day: dt.date | None = None, state: str | None = None, kind: str | None = None,
                    region: str | None = None):
    """People under home measures in your area on a city day (default today), with that day's state (masked)."""
    qs = selectors.enrolment_list(actor=actor(request), day=day, filters={"state": state, "kind": kind, "region": region})
    return MappedRows(qs, _enrolment_row)


@router.get("/enrolments/{int:pk}/reports", response=list[SelfreportReportOut])
@paginate(Pagination)
def list_reports(request, pk: Id):
    """A person's reports, newest day first."""
    e = selectors.enrolment_get(actor=actor(request), pk=pk)
    return selectors.reports_of(actor=actor(request), enrolment=e)


@router.post("/enrolments/{int:pk}/resend", response={201: SelfreportReminderOut})
def resend(request, pk: Id):
    """Send the person's link again by SMS (audited)."""
    e = selectors.enrolment_get(actor=actor(request), pk=pk, action="change")
    return Status(201, services.link_resend(actor=actor(request), enrolment=e))


@router.get("/summary", response=SelfreportSummaryOut)
def summary(request, day: dt.date | None = None, level: str = "grid"):
    """Enrolled, reported, not reported and fever per grid, community or street inside your area on a city day."""
    if level not in selectors.LEVEL_PARTS:
        raise ServiceError.field("level", _("must be grid, community or street"))
    from_day = day or clock.today()
    rows = selectors.summary(actor=actor(request), day=from_day, level=level)
    return {"day": from_day, "level": level, "cutoff_hour": services.day_rules(from_day)["cutoff_hour"],
            "total": selectors.totals(rows), "areas": rows}


@router.post("/r/{token}", auth=None, response={201: SelfreportSubmitOut})
def submit(request, token: str, payload: SelfreportSubmitIn):
    """Public: the person's report of today through the personal link (no login; rate-limited)."""
    if services.link_throttled(address=throttle.client_address(request), token=token):
        raise ServiceError(_("too many attempts, try again in %(m)s minutes") % {"m": throttle.lookup_window_minutes()},
                           code="rate_limited", status=429)
    report = services.report_submit(token=token, answers=payload.answers, temperature=payload.temperature, symptoms=payload.symptoms)
    return Status(201, {"day": report.day, "temperature": float(report.temperature), "fever": report.fever,
                        "submissions": report.submissions, "name": pii.mask_name(report.enrolment.person.name)[:1]})
