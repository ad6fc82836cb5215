"""Writes for centralized quarantine: the placement queue, sites, proposals, transfers, stays, release."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from cordon.core import access, audit
from cordon.core.errors import ServiceError
from cordon.people.models import Household, Person
from cordon.quarantine.enums import CATEGORIES, OPEN_REQUEST, RequestStatus
from cordon.quarantine.models import PlacementRequest

# Who may put people into the queue: the site side and the outbreak-response side (contacts/cases).
_ENQUEUE_PERMS = ("quarantine.change", "contacts.change", "cases.change")


def _may_enqueue(actor, region_path: str) -> None:
    if actor is None:  # system jobs (signals, imports run by the platform)
        return
    if not any(access.can(actor, p, region_path) for p in _ENQUEUE_PERMS):
        access.require(actor, "quarantine.change", region_path)


def placement_enqueue(*, actor, person_id: int, category: str, start: dt.date, end: dt.date, source: str,
                      household_id: int | None = None) -> PlacementRequest:
    """Queue a person for centralized quarantine (idempotent per open person and source)."""
    if not source or not str(source).strip():
        raise ServiceError.field("source", "is required")
    source = str(source).strip()[:120]
    if category not in CATEGORIES:
        raise ServiceError.field("category", f"{category!r} is not one of {', '.join(CATEGORIES)}")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise ServiceError.field("start" if not isinstance(start, dt.date) else "end", "must be a date")
    if isinstance(start, dt.datetime):
        start = start.date()
    if isinstance(end, dt.datetime):
        end = end.date()
    if end < start:
        raise ServiceError.field("end", "is before start")
    person = Person.objects.filter(pk=person_id).only("id", "region_path", "household_id").first()
    if person is None:
        raise ServiceError.field("person_id", "no such person")
    _may_enqueue(actor, person.region_path)
    if household_id is None:
        household_id = person.household_id
    elif not Household.objects.filter(pk=household_id).exists():
        raise ServiceError.field("household_id", "no such household")
    existing = PlacementRequest.objects.filter(person_id=person.pk, source=source, status__in=OPEN_REQUEST).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            req = PlacementRequest.objects.create(
                person_id=person.pk, household_id=household_id, category=category, start=start, end=end,
                source=source, region_path=person.region_path)
            audit.record(actor, "placement_request.enqueue", req,
                         changes={"person": person.pk, "category": category, "start": start, "end": end,
                                  "source": source})
    except IntegrityError:  # a concurrent enqueue of the same (person, source) won the race
        existing = PlacementRequest.objects.filter(person_id=person.pk, source=source,
                                                   status__in=OPEN_REQUEST).first()
        if existing is None:
            raise
        return existing
    return req


def placement_cancel(*, actor, source: str) -> int:
    """Withdraw the queued or proposed placement requests of a source; returns how many were cancelled."""
    if not source or not str(source).strip():
        raise ServiceError.field("source", "is required")
    source = str(source).strip()
    with transaction.atomic():
        reqs = list(PlacementRequest.objects.select_for_update()
                    .filter(source=source, status__in=[RequestStatus.QUEUED, RequestStatus.PROPOSED]))
        if not reqs:
            return 0
        for req in reqs:
            _may_enqueue(actor, req.region_path)
        ids = [r.pk for r in reqs]
        _drop_proposal_lines(ids)
        now = timezone.now()
        PlacementRequest.objects.filter(pk__in=ids).update(status=RequestStatus.CANCELLED, cancelled_at=now,
                                                           updated_at=now)
        audit.record(actor, "placement_request.cancel", object_type="quarantine.placementrequest",
                     object_id=ids[0], region_path=reqs[0].region_path,
                     changes={"source": source, "count": len(ids), "ids": ids[:50]})
    return len(ids)


def _drop_proposal_lines(request_ids: list[int]) -> None:
    """Remove unconfirmed proposal lines of withdrawn requests (no proposals exist before they are built)."""
    from cordon.quarantine import models as m

    line_model = getattr(m, "ProposalLine", None)
    if line_model is not None:
        line_model.objects.filter(request_id__in=request_ids, confirmed_at__isnull=True).delete()
