"""The placement queue: requests filed one at a time or as a batch (a tracer confirming a case's contacts), and
withdrawn. One implementation: placement_enqueue is placement_enqueue_many with one item."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from cordon.core import audit, clock
from cordon.core.errors import ServiceError
from cordon.people.models import Household, Person
from cordon.quarantine.enums import (
    ACTIVE_STAY,
    CATEGORIES,
    OPEN_REQUEST,
    REQUEST_LIFECYCLE,
    RequestStatus,
    StayKind,
)
from cordon.quarantine.models import PlacementRequest, Stay
from cordon.quarantine.services.common import _drop_proposal_lines, _may_enqueue, _sources
from cordon.quarantine.services.stays import _stays_extend


def placement_enqueue(*, actor, person_id: int, category: str, start: dt.date, end: dt.date, source: str,
                      household_id: int | None = None) -> PlacementRequest:
    """Queue a person for centralized quarantine: one measure per person. Someone with an open request or an
    active centralized stay keeps it, extended to the later end (audited); a home stay is upgraded by one request."""
    return placement_enqueue_many(actor=actor, items=[{
        "person_id": person_id, "category": category, "start": start, "end": end, "source": source,
        "household_id": household_id}])[0]


def _clean(item: dict, *, row: int | None) -> dict:
    """One item's fields checked and normalised (source stripped, datetimes to dates); refused naming the field."""
    source = item.get("source")
    if not source or not str(source).strip():
        raise ServiceError.field("source", _("is required"), row=row)
    category, start, end = item.get("category"), item.get("start"), item.get("end")
    if category not in CATEGORIES:
        raise ServiceError.field("category", _("%(category)r is not one of %(choices)s") % {
            "category": category, "choices": ', '.join(CATEGORIES)}, row=row)
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise ServiceError.field("start" if not isinstance(start, dt.date) else "end", _("must be a date"), row=row)
    start = start.date() if isinstance(start, dt.datetime) else start
    end = end.date() if isinstance(end, dt.datetime) else end
    if end < start:
        raise ServiceError.field("end", _("is before start"), row=row)
    return {"person_id": item.get("person_id"), "category": category, "start": start, "end": end,
            "source": str(source).strip()[:120], "household_id": item.get("household_id")}


def _people(actor, items: list[dict]) -> dict[int, Person]:
    """The items' people inside the actor's quarantine view (404 for one missing or elsewhere, as for one person),
    each in an area where the actor may enqueue, and each named household existing; two queries."""
    ids = {it["person_id"] for it in items}
    people = {p.pk: p for p in Person.objects.only("id", "region_path", "household_id")
              .visible_to(actor, "quarantine.view").filter(pk__in=ids)}
    if len(people) != len(ids):
        raise Http404("not found")
    for path in {p.region_path for p in people.values()}:
        _may_enqueue(actor, path)
    named = {it["household_id"] for it in items
             if it["household_id"] is not None and it["household_id"] != people[it["person_id"]].household_id}
    if named:
        missing = named - set(Household.objects.filter(pk__in=named).values_list("pk", flat=True))
        if missing:
            row = next(i for i, it in enumerate(items, start=1) if it["household_id"] in missing)
            raise ServiceError.field("household_id", _("no such household"), row=row if len(items) > 1 else None)
    return people


def placement_enqueue_many(*, actor, items: list[dict]) -> list[PlacementRequest]:
    """placement_enqueue for many items at once ({person_id, category, start, end, source, household_id?}): the same
    rules in item order (one measure per person; an open request or a centralized stay extended; a home stay upgraded
    by one request) with a constant number of queries and one audit entry for the batch. All or nothing: a bad item,
    or a person out of the actor's area, refuses the batch before anything is written. Returns the request per item."""
    if not items:
        return []
    row = (lambda i: i) if len(items) > 1 else (lambda i: None)
    items = [_clean(it, row=row(i)) for i, it in enumerate(items, start=1)]
    people = _people(actor, items)
    try:
        return _enqueue_locked(actor, items, people)
    except IntegrityError:
        # a concurrent enqueue of the same (person, source) won the race: its request is there now and is extended
        return _enqueue_locked(actor, items, people)


def _first_by_person(rows) -> dict:
    out = {}
    for r in rows:
        out.setdefault(r.person_id, r)
    return out


def _enqueue_locked(actor, items: list[dict], people: dict[int, Person]) -> list[PlacementRequest]:
    """The writes of placement_enqueue_many in one transaction: three reads under lock, then bulk writes."""
    pids = list(people)
    with transaction.atomic():
        reqs = _first_by_person(PlacementRequest.objects.select_for_update().filter(
            person_id__in=pids, status__in=OPEN_REQUEST).order_by("created_at", "id"))
        stays = _first_by_person(Stay.objects.select_for_update(of=("self",)).filter(
            person_id__in=pids, status__in=ACTIVE_STAY, kind=StayKind.CENTRALIZED).select_related("request").order_by("pk"))
        homes = _first_by_person(Stay.objects.filter(person_id__in=pids, status__in=ACTIVE_STAY)
                                 .exclude(kind=StayKind.CENTRALIZED).order_by("pk"))
        out, created, changed, moves, rows = [], [], {}, [], []
        now = clock.now()
        for it in items:
            person = people[it["person_id"]]
            req, stay = reqs.get(person.pk), stays.get(person.pk)
            if req is not None or stay is not None:
                changes = _measure_extend(request=req, stay=stay, item=it, moves=moves)
                if req is not None and req.pk is not None and ("end" in changes or "also_sources" in changes):
                    req.updated_at = now
                    changed[req.pk] = req
                if len(changes) > 3:
                    rows.append(("placement_request.extend" if req is not None else "stay.extend",
                                 stay if stay is not None else req, changes))
                out.append(req if req is not None else stay.request)
                continue
            home = homes.get(person.pk)
            req = PlacementRequest(person_id=person.pk, category=it["category"], start=it["start"], end=it["end"],
                                   household_id=person.household_id if it["household_id"] is None else it["household_id"],
                                   source=it["source"], region_path=person.region_path)
            reqs[person.pk] = req
            created.append(req)
            rows.append(("placement_request.enqueue", req, {
                "person": person.pk, "category": it["category"], "start": it["start"], "end": it["end"],
                "source": it["source"], "upgrades_stay": home.pk if home else None,
                "upgrades_kind": home.kind if home else None}))
            out.append(req)
        PlacementRequest.objects.bulk_create(created, batch_size=500)
        PlacementRequest.objects.bulk_update(list(changed.values()), ["end", "also_sources", "updated_at"], batch_size=500)
        _stays_extend(actor=actor, moves=moves)
        _audit(actor, rows, people=people, count=len(items))
    return out


def _measure_extend(*, request: PlacementRequest | None, stay: Stay | None, item: dict, moves: list) -> dict:
    """A further classification of someone already under centralized measures, in memory: the later end wins, the
    new source is remembered on the request, the stay (when placed) runs to the new end (added to `moves`). Returns
    the changes (more than the first three keys: something changed)."""
    source, end = item["source"], item["end"]
    changes = {"person": item["person_id"], "source": source, "category": item["category"]}
    if request is not None and source != request.source and source not in request.also_sources:
        request.also_sources = [*request.also_sources, source]
        changes["also_sources"] = request.also_sources
    if request is not None and end > request.end:
        changes["end"] = {"from": request.end, "to": end}
        request.end = end
    if stay is not None and end > stay.planned_end:
        changes["stay"] = stay.pk
        changes["planned_end"] = {"from": stay.planned_end, "to": end}
        moves.append((stay, end))
        stay.planned_end = end
    return changes


def _audit(actor, rows: list[tuple[str, object, dict]], *, people: dict[int, Person], count: int) -> None:
    """One item: its own entry (enqueue or extend), as it always was. A batch: one entry with counts and ids."""
    if count == 1:
        for action, obj, changes in rows:
            audit.record(actor, action, obj, changes=changes)
        return
    if not rows:
        return
    created = [obj.pk for action, obj, _c in rows if action == "placement_request.enqueue"]
    extended = [[c["person"], obj.pk, action] for action, obj, c in rows if action != "placement_request.enqueue"]
    upgrades = [[obj.pk, c["upgrades_stay"]] for action, obj, c in rows if c.get("upgrades_stay")]
    ids = created or [e[1] for e in extended]
    audit.record(actor, "placement_request.enqueue_many", object_type="quarantine.placementrequest",
                 object_id=",".join(map(str, ids[:20])), region_path=people[rows[0][2]["person"]].region_path,
                 changes={"items": count, "created": len(created), "extended": len(extended), "ids": created,
                          "extensions": extended, "upgrades": upgrades})


def placement_cancel(*, actor, source: str) -> int:
    """Withdraw a source's placement: its queued or proposed requests are cancelled (returns how many) unless
    another source also named the person; then the request passes to that source and stays in the queue."""
    if not source or not str(source).strip():
        raise ServiceError.field("source", _("is required"))
    source = str(source).strip()
    with transaction.atomic():
        for req in (PlacementRequest.objects.visible_to(actor, "quarantine.view").select_for_update(of=("self",))
                    .filter(status__in=OPEN_REQUEST, also_sources__icontains=f'"{source}"')):
            if source in req.also_sources:
                _may_enqueue(actor, req.region_path)
                req.also_sources = [s for s in req.also_sources if s != source]
                req.save(update_fields=["also_sources", "updated_at"])
                audit.record(actor, "placement_request.source_withdrawn", req, changes={"source": source})
        reqs = list(PlacementRequest.objects.visible_to(actor, "quarantine.view").select_for_update(of=("self",))
                    .filter(source=source, status__in=_sources(REQUEST_LIFECYCLE, RequestStatus.CANCELLED)))
        if not reqs:
            return 0
        for req in reqs:
            _may_enqueue(actor, req.region_path)
        kept = [r for r in reqs if r.also_sources]
        for req in kept:
            nxt, *rest = req.also_sources
            req.source, req.also_sources = nxt, rest
            req.save(update_fields=["source", "also_sources", "updated_at"])
            audit.record(actor, "placement_request.source_withdrawn", req, changes={"source": source, "now": nxt})
        ids = [r.pk for r in reqs if r not in kept]
        if not ids:
            return 0
        _drop_proposal_lines(ids)
        now = clock.now()
        PlacementRequest.objects.filter(pk__in=ids).update(status=RequestStatus.CANCELLED, cancelled_at=now,
                                                           updated_at=now)
        audit.record(actor, "placement_request.cancel", object_type="quarantine.placementrequest",
                     object_id=ids[0], region_path=reqs[0].region_path,
                     changes={"source": source, "count": len(ids), "ids": ids[:50]})
    return len(ids)


def placement_cancel_many(*, actor, sources: list[str]) -> int:
    """placement_cancel for many sources at once (a day's released risk persons), the same outcome as one source after
    the other: each source leaves the other sources' lists; a request whose own source goes passes to the next source
    it names, or is cancelled when none is left. One read per 250 sources and a few writes; one audit
    entry for the requests kept and one for those cancelled. Returns how many were cancelled."""
    sources = [str(s).strip() for s in sources if s and str(s).strip()]
    if not sources:
        return 0
    cancellable = _sources(REQUEST_LIFECYCLE, RequestStatus.CANCELLED)
    with transaction.atomic():
        found = {}
        for i in range(0, len(sources), 250):  # a key test per source: SQLite's expression depth allows a few hundred
            part = sources[i:i + 250]
            found.update((r.pk, r) for r in PlacementRequest.objects.visible_to(actor, "quarantine.view")
                         .select_for_update(of=("self",)).filter(Q(status__in=OPEN_REQUEST, also_sources__has_any_keys=part)
                                                                 | Q(source__in=part, status__in=cancellable)))
        reqs = [found[pk] for pk in sorted(found)]
        for path in {r.region_path for r in reqs}:
            _may_enqueue(actor, path)
        kept, cancelled = {}, []
        for req in reqs:
            before = (req.source, list(req.also_sources))
            for source in sources:  # the one-by-one order: strip the source from the list, then pass on or cancel
                if req.status in OPEN_REQUEST and source in req.also_sources:
                    req.also_sources = [s for s in req.also_sources if s != source]
                if req.source == source and req.status in cancellable:
                    if not req.also_sources:
                        cancelled.append(req)
                        break
                    req.source, req.also_sources = req.also_sources[0], req.also_sources[1:]
            else:
                if (req.source, req.also_sources) != before:
                    kept[req.pk] = req
        now = clock.now()
        for req in kept.values():
            req.updated_at = now
        PlacementRequest.objects.bulk_update(list(kept.values()), ["source", "also_sources", "updated_at"], batch_size=500)
        if kept:
            audit.record(actor, "placement_request.source_withdrawn", object_type="quarantine.placementrequest",
                         object_id=next(iter(kept)), region_path=audit.batch_path([r.region_path for r in kept.values()]),
                         changes={"sources": len(sources), "count": len(kept), "ids": list(kept)[:50]})
        ids = [r.pk for r in cancelled]
        if not ids:
            return 0
        _drop_proposal_lines(ids)
        PlacementRequest.objects.filter(pk__in=ids).update(status=RequestStatus.CANCELLED, cancelled_at=now, updated_at=now)
        audit.record(actor, "placement_request.cancel", object_type="quarantine.placementrequest", object_id=ids[0],
                     region_path=audit.batch_path([r.region_path for r in cancelled]),
                     changes={"sources": len(sources), "count": len(ids), "ids": ids[:50]})
    return len(ids)
