"""Writing risk persons: identification's proposals with evidence (repeatable; a person found by two cases
keeps one row, extended), tracer decisions, manual entries, proposals from other sources, the contact-list
export. Nothing changes anyone's colour until a tracer confirms; confirmed rows get their measures (measures.py)."""

import datetime as dt

from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from cordon.cases import services as case_services
from cordon.cases.models import Case
from cordon.contacts import rules, selectors
from cordon.contacts.enums import OPEN_STATUSES, Category, RiskStatus
from cordon.contacts.models import RiskPerson
from cordon.contacts.services.finding import GENERAL_CONTACT, WRITTEN, _iso, identify
from cordon.contacts.services.measures import _step, measures_apply, measures_apply_many
from cordon.core import access, audit, bulk, clock, exports, policy
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.people.models import Person

# Stricter first: someone found in two of these categories (by two cases) is under the stricter one's plan.
STRICTNESS = {Category.CLOSE_CONTACT: 3, Category.SECONDARY_CONTACT: 2, Category.SPACETIME_COMPANION: 1}


def _open_elsewhere(pids, case: Case) -> dict[int, RiskPerson]:
    """Each person's open row in an identification category from another source (the one a new finding extends):
    under measures before confirmed before proposed, then the stricter category, then the oldest."""
    rank = {RiskStatus.UNDER_MEASURES: 0, RiskStatus.CONFIRMED: 1, RiskStatus.PROPOSED: 2}
    out: dict[int, RiskPerson] = {}
    pids = list(pids)
    for i in range(0, len(pids), 5000):
        for row in (RiskPerson.objects.filter(person_id__in=pids[i:i + 5000], category__in=WRITTEN, status__in=OPEN_STATUSES)
                    .exclude(source_case=case).order_by("pk")):
            have = out.get(row.person_id)
            key = (rank[row.status], -STRICTNESS.get(row.category, 0), row.pk)
            if have is None or key < (rank[have.status], -STRICTNESS.get(have.category, 0), have.pk):
                out[row.person_id] = row
    return out


def _source_entry(case_id: int | None, category: str, last: dt.datetime) -> dict:
    return {"case": case_id, "category": str(category), "last_exposure": last.isoformat(), "at": clock.now().isoformat()}


def _extend_row(*, row: RiskPerson, case: Case | None, category: str, last: dt.datetime, evidence: list[dict],
                why: str) -> tuple[dict, bool]:
    """A further finding for a person with an open row, applied in memory: the row keeps one plan, extended to the
    later exposure and upgraded to the stricter category; the finding is kept in `sources` (and its evidence, tagged
    with the case). Returns what the audit entry says and whether the plan has to be recomputed; the caller saves."""
    case_id = case.pk if case is not None else None
    before = {"category": row.category, "last_exposure": row.last_exposure, "source_case": row.source_case_id}
    tagged = [{**e, "case": case_id} for e in evidence]
    kept = [e for e in row.evidence if not (e.get("case") == case_id and case_id is not None)]
    row.evidence = [*kept, *tagged][-40:]
    upgraded = STRICTNESS.get(category, 0) > STRICTNESS.get(row.category, 0)
    sources = [s for s in row.sources if s.get("case") != case_id or case_id is None]
    if upgraded:
        # the stricter finding becomes the row's source; the weaker one is history
        sources.append(_source_entry(row.source_case_id, row.category, row.last_exposure))
        row.category, row.source_case = category, case
        row.via = None
    else:
        sources.append(_source_entry(case_id, category, last))
    row.sources = sources[-50:]
    later = last > row.last_exposure
    if later:
        row.last_exposure = last
    changes = {"why": why, "case": case_id, "category": str(category), "last_exposure": last, "kept": before,
               "upgraded": upgraded, "extended": later}
    return changes, row.status == RiskStatus.UNDER_MEASURES and (later or upgraded)


EXTEND_FIELDS = ["evidence", "sources", "category", "source_case", "via", "last_exposure"]


def _extend(*, actor, row: RiskPerson, case: Case | None, category: str, last: dt.datetime, evidence: list[dict],
            why: str) -> bool:
    """One further finding for a person with an open row (`_extend_row`), saved and audited contacts.extend.
    True when the plan has to be recomputed."""
    changes, replan = _extend_row(row=row, case=case, category=category, last=last, evidence=evidence, why=why)
    row.save(update_fields=EXTEND_FIELDS)
    audit.record(actor, "contacts.extend", row, changes=changes)
    return replan


def _update_rows(rows: list[RiskPerson], names: list[str]) -> None:
    """Save the fields `names` of rows by primary key with one prepared UPDATE through executemany, each value
    prepared by its field as bulk_update does (bulk_update's CASE WHEN per row and field took seconds to compile
    for the thousands of rows one case under protocol-9 extends)."""
    fields = [RiskPerson._meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    sql = (f"UPDATE {qn(RiskPerson._meta.db_table)} SET {', '.join(f'{qn(f.column)} = %s' for f in fields)} "
           f"WHERE {qn(RiskPerson._meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] + [row.pk]
                                 for row in rows])


def _extend_save(*, actor, extended: list[tuple[RiskPerson, dict]], case: Case, batch: int = 500) -> None:
    """Rows extended by one identification (`_extend_row`), saved in bulk with one audit entry contacts.extend per
    batch listing each row's change (a row extended in two categories is listed twice, saved once)."""
    if not extended:
        return
    # Each row saves only what its findings changed: a plain extension (most of them) writes the evidence and
    # sources, not the indexed category and case columns (SQLite rewrites an index entry for every SET column).
    fields: dict[int, set[str]] = {}
    rows: dict[int, RiskPerson] = {}
    for row, c in extended:
        rows[row.pk] = row
        mine = fields.setdefault(row.pk, {"evidence", "sources"})
        if c["upgraded"]:
            mine.update(("category", "source_case", "via"))
        if c["extended"]:
            mine.add("last_exposure")
    groups: dict[tuple[str, ...], list[RiskPerson]] = {}
    for pk, row in rows.items():
        groups.setdefault(tuple(f for f in EXTEND_FIELDS if f in fields[pk]), []).append(row)
    for names, part in groups.items():
        _update_rows(part, list(names))
    for i in range(0, len(extended), batch):
        part = extended[i:i + batch]
        audit.record(actor, "contacts.extend", object_type="contacts.riskperson",
                     object_id=",".join(str(row.pk) for row, _ in part), region_path=part[0][0].region_path,
                     changes={"case": case.pk, "count": len(part), "rows": [{"id": row.pk, **c} for row, c in part]})


def _withdraw_case(*, actor, row: RiskPerson, case: Case) -> None:
    """A case no longer finds a person it had found: its part of the row goes; a row another case holds stays open
    (passed to that case when this one was its source); a proposal nobody else holds is deleted."""
    others = [s for s in row.sources if s.get("case") != case.pk]
    row.evidence = [e for e in row.evidence if e.get("case") != case.pk]
    if row.source_case_id == case.pk:
        holders = [s for s in others if s.get("case")]
        if not holders:
            if row.status == RiskStatus.PROPOSED:
                row.delete()
            return
        nxt = holders[-1]
        others = [s for s in others if s is not nxt]
        row.source_case_id, row.category = nxt["case"], nxt.get("category") or row.category
    row.sources = others
    row.save(update_fields=["evidence", "sources", "source_case", "category"])
    audit.record(actor, "contacts.source_withdrawn", row, changes={"case": case.pk, "now": row.source_case_id})


# long: one transaction: the case's window, the rule set, every contact kind and the proposals written together
def contacts_identify(*, actor, case: Case, now: dt.datetime | None = None) -> dict:
    """Run identification for a case and write proposals with evidence (repeatable: updates, never duplicates).
    Someone with an open row from another case (or another source) keeps that one row, extended (`_extend`)."""
    now = now or clock.now()
    found = identify(case, now=now)
    general = found.pop(GENERAL_CONTACT, {})
    pids = {pid for items in found.values() for pid in items}
    paths = dict(Person.objects.filter(pk__in=list(pids)).values_list("pk", "region_path")) if pids else {}
    existing = {(r.person_id, r.category): r for r in RiskPerson.objects.filter(source_case=case)}
    elsewhere = _open_elsewhere(pids, case) if pids else {}
    held = [r for r in RiskPerson.objects.filter(status__in=OPEN_STATUSES, sources__icontains=f'"case": {case.pk}')
            .exclude(source_case=case) if any(s.get("case") == case.pk for s in r.sources)]
    counts = {"created": 0, "updated": 0, "withdrawn": 0, "extended": 0}
    replan = []
    seen_elsewhere: set[int] = set()
    with transaction.atomic():
        ids_by_person: dict[int, int] = {}
        extended: list[tuple[RiskPerson, dict]] = []  # rows of other sources, saved together below
        # stricter categories first, so one person found in two categories of this case extends one row
        for category in sorted(WRITTEN, key=lambda c: -STRICTNESS[c]):
            items = found.get(category, {})
            new = []
            for pid, item in items.items():
                row = existing.pop((pid, category), None)
                via_id = ids_by_person.get(item.get("via")) if category == Category.SECONDARY_CONTACT else None
                other = elsewhere.get(pid)
                if row is None and other is not None:
                    if other.pk in seen_elsewhere and STRICTNESS[category] <= STRICTNESS.get(other.category, 0):
                        continue
                    seen_elsewhere.add(other.pk)
                    changes, again = _extend_row(row=other, case=case, category=category, last=item["last"],
                                                 evidence=item["evidence"], why="found by another case")
                    extended.append((other, changes))
                    if again and other not in replan:
                        replan.append(other)
                    counts["extended"] += 1
                    ids_by_person[pid] = other.pk
                    continue
                if row is None:
                    new.append({"person_id": pid, "region_path": paths[pid], "category": category, "source_case_id": case.pk,
                                "last_exposure": item["last"], "evidence": item["evidence"], "via_id": via_id})
                    continue
                if row.last_exposure != item["last"] or row.evidence != item["evidence"]:
                    if row.last_exposure != item["last"] and row.status == RiskStatus.UNDER_MEASURES:
                        replan.append(row)
                    row.last_exposure, row.evidence = item["last"], item["evidence"]
                    row.save(update_fields=["last_exposure", "evidence"])
                    counts["updated"] += 1
                ids_by_person[pid] = row.pk
            if new:
                bulk.insert_rows(RiskPerson, new)
                counts["created"] += len(new)
                if category == Category.CLOSE_CONTACT:
                    ids_by_person.update(dict(RiskPerson.objects.filter(source_case=case, category=category).values_list("person_id", "pk")))
        _extend_save(actor=actor, extended=extended, case=case)
        stale = [r for r in existing.values() if r.status == RiskStatus.PROPOSED and r.category in WRITTEN]
        gone = [r for r in held if r.pk not in seen_elsewhere]
        for r in stale + gone:
            if r.sources or r in gone:
                _withdraw_case(actor=actor, row=r, case=case)
                counts["withdrawn"] += 1
        plain = [r.pk for r in stale if not r.sources]
        if plain:
            counts["withdrawn"] += RiskPerson.objects.filter(pk__in=plain).delete()[0]
        Case.objects.filter(pk=case.pk).update(identified_at=now, general_contacts=len(general))
        audit.record(actor, "contacts.identify", case, changes={**counts, **{str(k): len(v) for k, v in found.items()},
                                                                GENERAL_CONTACT: len(general)})
        if replan:
            prefetch_related_objects(replan, "person")
            measures_apply_many(actor=actor, risks=replan, why="exposure changed")
    counts.update({str(k): len(v) for k, v in found.items()})
    counts[GENERAL_CONTACT] = len(general)
    return counts


def _load_for_decision(actor, ids: list[int]) -> list[RiskPerson]:
    if not ids:
        raise ServiceError.field("ids", _("choose at least one person"))
    rows = {r.pk: r for r in RiskPerson.objects.visible_to(actor, "view").filter(pk__in=ids).select_related("person")}
    out = []
    for n, pk in enumerate(ids, 1):
        row = rows.get(pk)
        if row is None:
            raise NotFound(_("row %(n)s, ids: unknown risk person %(pk)s") % {"n": n, "pk": pk}, fields=[{"field": "ids", "message": _("unknown risk person"), "row": n}])
        access.require(actor, "contacts.change", row.region_path)
        out.append(row)
    return out


def risk_decide(*, actor, ids: list[int], decision: str, note: str = "") -> dict:
    """Confirm or reject proposed risk persons in bulk (all or nothing); confirmed ones get their measures."""
    if decision not in ("confirm", "reject"):
        raise ServiceError.field("decision", _("must be confirm or reject"))
    rows = _load_for_decision(actor, list(dict.fromkeys(ids)))
    target = RiskStatus.CONFIRMED if decision == "confirm" else RiskStatus.REJECTED
    for n, row in enumerate(rows, 1):
        _step(row, target, field="ids", row=n)
    now = clock.now()
    with transaction.atomic():
        for row in rows:
            row.status = target
            row.decided_by, row.decided_at, row.note = actor, now, note[:200]
        ids_all = [r.pk for r in rows]
        for i in range(0, len(ids_all), 5000):  # one UPDATE a chunk, not a save per row (a case's thousands)
            RiskPerson.objects.filter(pk__in=ids_all[i:i + 5000]).update(status=target, decided_by=actor, decided_at=now,
                                                                         note=note[:200])
        audit.record(actor, f"contacts.{decision}", object_type="contacts.riskperson", object_id=",".join(str(r.pk) for r in rows[:20]),
                     region_path=rows[0].region_path, changes={"count": len(rows), "ids": [r.pk for r in rows], "note": note})
        if decision == "confirm":
            measures_apply_many(actor=actor, risks=rows, why="confirmed")
    return {"decided": len(rows), "decision": decision}


def risk_add(*, actor, person_id: int, category: str, last_exposure, note: str = "", source_case_id: int | None = None) -> RiskPerson:
    """Enter a risk person by hand (arrivals, discharged cases, contacts found otherwise): confirmed at once, measures applied."""
    if category not in Category.values:
        raise ServiceError.field("category", _("must be one of %(choices)s") % {"choices": ', '.join(Category.values)})
    last = case_services._when(last_exposure, "last_exposure")
    if last > clock.now() + dt.timedelta(minutes=5):
        raise ServiceError.field("last_exposure", _("is in the future"))
    person = access.get_for(actor, Person.objects.all(), "view", pk=person_id) if person_id else None
    if person is None:
        raise ServiceError.field("person_id", _("is required"))
    access.require(actor, "contacts.change", person.region_path)
    measures = policy.in_force(clock.now()).section("measures")
    if not rules.identified(category, measures=measures):
        raise ServiceError.field("category", _("is not identified under the rule set in force"))
    case = None
    if source_case_id:
        case = Case.objects.visible_to(actor, "view").filter(pk=source_case_id).first()
        if case is None:
            raise ServiceError.field("source_case_id", _("unknown case %(source_case_id)s") % {"source_case_id": source_case_id})
    if RiskPerson.objects.filter(person=person, category=category, source_case=case, status__in=OPEN_STATUSES).exists():
        raise Conflict(_("person_id: already an open risk person in this category"),
                       fields=[{"field": "person_id", "message": _("already an open risk person in this category")}])
    held = (RiskPerson.objects.filter(person=person, category=category, status__in=OPEN_STATUSES)
            .select_related("person").order_by("pk").first())
    if held is not None:  # one plan per person and category: the other source's row is extended
        with transaction.atomic():
            replan = _extend(actor=actor, row=held, case=case, category=category, last=last,
                             evidence=[{"rule": "manual", "note": note[:200]}], why="entered again")
            if replan:
                measures_apply(actor=actor, risk=held, why="exposure changed")
        return held
    with transaction.atomic():
        row = RiskPerson.objects.create(person=person, region_path=person.region_path, category=category, source_case=case,
                                        last_exposure=last, status=RiskStatus.CONFIRMED, evidence=[{"rule": "manual", "note": note[:200]}],
                                        decided_by=access.user_or_none(actor), decided_at=clock.now(), note=note[:200])
        audit.record(actor, "contacts.add", row, changes={"person": person.pk, "category": category, "last_exposure": last})
        measures_apply(actor=actor, risk=row, why="entered")
    return row


def riskperson_propose(*, actor, person_id: int, category: str, last_exposure: dt.datetime, source: str,
                       note: str = "") -> RiskPerson | None:
    """Propose a risk person found outside case tracing (a checkpoint hold, a returnee from a risk area) for a
    tracer or community worker to confirm; repeatable (an open proposal for the same person and category gains
    the new evidence). None when the rule set in force does not manage the category."""
    if category not in Category.values:
        raise ServiceError.field("category", _("must be one of %(choices)s") % {"choices": ', '.join(Category.values)})
    if not rules.identified(category, measures=policy.in_force(last_exposure).section("measures")):
        return None
    person = Person.objects.filter(pk=person_id).only("pk", "region_path").first()
    if person is None:
        raise ServiceError.field("person_id", _("unknown person %(person_id)s") % {"person_id": person_id})
    evidence = {"rule": source.split(".", 1)[0], "source": source, "end": _iso(last_exposure), "note": note[:200]}
    with transaction.atomic():
        row = (RiskPerson.objects.select_for_update().filter(person_id=person.pk, category=category,
                                                             status__in=OPEN_STATUSES).order_by("pk").first())
        if row is not None:
            if any(e.get("source") == source for e in row.evidence):
                return row
            row.evidence = [*row.evidence, evidence][-20:]
            fields = ["evidence"]
            if last_exposure > row.last_exposure:
                row.last_exposure = last_exposure
                fields.append("last_exposure")
            row.save(update_fields=fields)
            audit.record(actor, "contacts.propose", row, changes={"source": source, "updated": True})
            if row.status == RiskStatus.UNDER_MEASURES and "last_exposure" in fields:
                measures_apply(actor=actor, risk=row, why="exposure changed")
            return row
        row = RiskPerson.objects.create(person_id=person.pk, region_path=person.region_path, category=category,
                                        last_exposure=last_exposure, evidence=[evidence], note=note[:200])
        audit.record(actor, "contacts.propose", row, changes={"source": source, "category": category})
    return row


def risk_export(*, actor, unmask: bool = False, fmt: str = "xlsx", filters=None):
    """A contact list (per case, venue or district) as a file, filtered like the page (contacts.filters.RiskFilter),
    masked unless unmasking is asked for and granted (core.exports)."""
    qs = selectors.risk_list(actor=actor, filters=filters).select_related("person")
    return exports.export(actor=actor, domain="contacts", name="contacts", columns=selectors.EXPORT_COLUMNS, rows=qs,
                          filters=dict((filters or {}).items()), fmt=fmt, unmask=unmask)
