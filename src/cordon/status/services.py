"""Writes for health status. Modules call reason_set / reason_clear; the colour is recomputed from
the active reasons under the rule set in force and every change is kept in the history.

Sources are strings like "contacts.riskperson:42" so a reason can be cleared by whoever set it.
"""

import datetime as dt

from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from cordon.command import services as command_services
from cordon.core import access, audit, bulk, clock, policy
from cordon.core.errors import ServiceError
from cordon.people.models import Person
from cordon.status import rules
from cordon.status.models import HealthStatus, StatusChange, StatusReason

SYSTEM = access.system("status")  # this module's work that no user clicked


def _status_for(person_id: int) -> HealthStatus:
    status = HealthStatus.objects.select_for_update().filter(person_id=person_id).first()
    if status is None:
        path = Person.objects.filter(pk=person_id).values_list("region_path", flat=True).first()
        if path is None:
            raise ServiceError.field("person", _("unknown person %(person_id)s") % {"person_id": person_id})
        status, _unused = HealthStatus.objects.get_or_create(person_id=person_id, defaults={"region_path": path})
    return status


def recompute(*, person_id: int, actor, now: dt.datetime | None = None) -> HealthStatus:
    """Recompute one person's colour from their active, unexpired reasons."""
    now = now or clock.now()
    with transaction.atomic():
        status = _status_for(person_id)
        StatusReason.objects.filter(person_id=person_id, active=True, until__lt=now).update(active=False, cleared_at=now)
        active = sorted(set(StatusReason.objects.filter(person_id=person_id, active=True).values_list("reason", flat=True)))
        ruleset = policy.in_force(now)
        colour = rules.colour_for(active, status_rules=ruleset.section("status"))
        if colour != status.colour or active != status.reasons:
            StatusChange.objects.create(person_id=person_id, region_path=status.region_path, at=now,
                                        colour_from=status.colour, colour_to=colour, reasons=active, ruleset=ruleset.code)
            if colour != status.colour:
                audit.record(actor, "status.change", status, changes={"from": status.colour, "to": colour, "reasons": active})
            status.colour, status.reasons = colour, active
            status.version += 1
            status.save(update_fields=["colour", "reasons", "version", "updated_at"])
    return status


def reason_set(*, person_id: int, reason: str, source: str, since: dt.datetime | None = None,
               until: dt.datetime | None = None, actor) -> HealthStatus:
    """Mark a person with an active reason (idempotent per person, reason and source)."""
    now = clock.now()
    with transaction.atomic():
        status = _status_for(person_id)
        obj = StatusReason.objects.filter(person_id=person_id, reason=reason, source=source, active=True).first()
        if obj is None:
            StatusReason.objects.create(person_id=person_id, region_path=status.region_path, reason=reason, source=source,
                                        since=since or now, until=until)
        elif obj.until != until:
            obj.until = until
            obj.save(update_fields=["until"])
        else:
            return status  # already set as asked: nothing to recompute
        result = recompute(person_id=person_id, actor=actor, now=now)
        command_services.persons_under_measures(person_ids=[person_id], reason=reason, source=source)  # an officer: hand over
        return result


def reasons_apply(*, person_id: int, source: str, set_reasons: list[tuple[str, dt.datetime | None, dt.datetime | None]],
                  clear_reasons: list[str], actor) -> HealthStatus:
    """Set some reasons [(reason, since, until)] and clear others for one source, then recompute the colour once
    (a measure plan sets its category and its current phase and clears the other phases in one step)."""
    now = clock.now()
    changed = False
    with transaction.atomic():
        status = _status_for(person_id)
        if clear_reasons:
            changed |= bool(StatusReason.objects.filter(person_id=person_id, source=source, active=True,
                                                        reason__in=clear_reasons).update(active=False, cleared_at=now))
        held = {r.reason: r for r in StatusReason.objects.filter(person_id=person_id, source=source, active=True,
                                                                 reason__in=[r for r, _, _ in set_reasons])}
        for reason, since, until in set_reasons:
            obj = held.get(reason)
            if obj is None:
                StatusReason.objects.create(person_id=person_id, region_path=status.region_path, reason=reason, source=source,
                                            since=since or now, until=until)
                command_services.persons_under_measures(person_ids=[person_id], reason=reason, source=source)
                changed = True
            elif obj.until != until:
                obj.until = until
                obj.save(update_fields=["until"])
                changed = True
        return recompute(person_id=person_id, actor=actor, now=now) if changed else status


def reasons_apply_many(*, items: list[tuple[int, str, list, list[str]]], actor) -> dict:
    """reasons_apply for many (person_id, source, set_reasons, clear_reasons) at once: the same reasons set, moved and
    cleared, then the changed people's colours recomputed in bulk (_recompute_many: a few queries per 2,000, one
    audit entry per chunk). Returns {"changed", "to"} of the recompute."""
    now = clock.now()
    touched: set[int] = set()
    created: list[tuple[int, str, str]] = []
    with transaction.atomic():
        for i in range(0, len(items), 1000):
            touched |= _apply_chunk(items[i:i + 1000], now=now, created=created)
        command_services.persons_under_measures_many(items=created)  # officers among them hand over, as reasons_apply does
        return _recompute_many(person_ids=sorted(touched), actor=actor, now=now, why="reasons applied")


def _apply_chunk(chunk: list, *, now: dt.datetime, created: list) -> set[int]:
    """Set, move and clear one chunk's reasons with a few statements (no model instances); the new (person, reason, source)
    go to `created`; returns the people touched. A reason set and cleared within the chunk is written cleared, as one
    reasons_apply after the other leaves it."""
    people = {pid for pid, *_rest in chunk}
    held: dict[tuple[int, str], dict[str, list]] = {}  # (person, source) -> {reason: [pk or None when new, until, new row]}
    for pk, pid, source, reason, until in (StatusReason.objects.filter(person_id__in=people, active=True,
                                                                       source__in={src for _p, src, *_r in chunk})
                                           .values_list("pk", "person_id", "source", "reason", "until")):
        held.setdefault((pid, source), {})[reason] = [pk, until, None]
    paths = _paths(people)
    clear, moved, new, touched = [], {}, [], set()
    for pid, source, set_reasons, clear_reasons in chunk:
        if pid not in paths:
            raise ServiceError.field("person", _("unknown person %(person_id)s") % {"person_id": pid})
        mine = held.setdefault((pid, source), {})
        for reason in clear_reasons:
            if reason in mine:
                pk, _until, row = mine.pop(reason)
                if row is None:
                    clear.append(pk)
                    moved.pop(pk, None)
                else:
                    row.update(active=False, cleared_at=now)
                touched.add(pid)
        for reason, since, until in set_reasons:
            entry = mine.get(reason)
            if entry is None:
                row = {"person_id": pid, "region_path": paths[pid], "reason": reason, "source": source, "since": since or now,
                       "until": until, "active": True, "cleared_at": None}
                mine[reason] = [None, until, row]
                new.append(row)
                created.append((pid, reason, source))
                touched.add(pid)
            elif entry[1] != until:
                entry[1] = until
                if entry[2] is None:
                    moved[entry[0]] = {"until": until}
                else:
                    entry[2]["until"] = until
                touched.add(pid)
    StatusReason.objects.filter(pk__in=clear).update(active=False, cleared_at=now)
    bulk.update_rows(StatusReason, moved)
    bulk.insert_rows(StatusReason, new)
    return touched


def _paths(people) -> dict[int, str]:
    """{person: region_path} of the people's status rows, or of the people themselves when they have none yet."""
    paths = dict(HealthStatus.objects.filter(person_id__in=people).values_list("person_id", "region_path"))
    missing = set(people) - set(paths)
    paths.update(Person.objects.filter(pk__in=missing).values_list("pk", "region_path") if missing else ())
    return paths


def _create_missing(person_ids: list[int], *, now: dt.datetime) -> int:
    """Give the people who have none a green status row (their region from the people registry) with one INSERT ...
    SELECT per 2,000, rows added meanwhile left alone; returns rows inserted."""
    fields, values = bulk.field_constants(HealthStatus, ["person_id", "region_path"], connection, now=now)
    consts = [(f, v) for f, v in zip(fields, values, strict=True) if v is not None]  # a NULL column is left to its default
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c) for c in ["person_id", "region_path", *(f.column for f, _v in consts)])
    inserted = 0
    with connection.cursor() as cur:
        for i in range(0, len(person_ids), 2000):
            part = person_ids[i:i + 2000]
            cur.execute(f"INSERT INTO {qn(HealthStatus._meta.db_table)} ({columns}) "
                        f"SELECT p.id, p.region_path{''.join(', %s' for _c in consts)} FROM {qn(Person._meta.db_table)} p "
                        f"WHERE p.id IN ({', '.join(['%s'] * len(part))}) ON CONFLICT (person_id) DO NOTHING",
                        [v for _f, v in consts] + list(part))
            inserted += cur.rowcount
    return inserted


def _recompute_many(*, person_ids: list[int], actor, now: dt.datetime, why: str) -> dict:
    """Recompute many people's colours set-based (chunks of 2000: a few queries each, not a few per person);
    one audit entry per chunk that changed colours, naming the source of the change."""
    ruleset = policy.in_force(now)
    out = {"changed": 0, "to": {}}
    ids = sorted(set(person_ids))
    for i in range(0, len(ids), 2000):
        _recompute_chunk(ids[i:i + 2000], actor=actor, now=now, why=why, ruleset=ruleset, out=out)
    return out


def _recompute_chunk(chunk: list[int], *, actor, now: dt.datetime, why: str, ruleset, out: dict) -> None:
    """One chunk of _recompute_many: expired reasons cleared, the history rows inserted without model instances, the
    status rows updated with one UPDATE per (colour, reasons) and one audit entry when anything changed."""
    status_rules = ruleset.section("status")
    StatusReason.objects.filter(person_id__in=chunk, active=True, until__lt=now).update(active=False, cleared_at=now)
    active: dict[int, set[str]] = {pid: set() for pid in chunk}
    for pid, reason in StatusReason.objects.filter(person_id__in=chunk, active=True).values_list("person_id", "reason"):
        active[pid].add(reason)
    locked = HealthStatus.objects.select_for_update()
    statuses = {row[0]: row for row in locked.filter(person_id__in=chunk).values_list("person_id", "pk", "region_path", "colour", "reasons")}
    missing = [pid for pid in chunk if pid not in statuses]
    if missing:
        _create_missing(missing, now=now)
        statuses.update((row[0], row) for row in locked.filter(person_id__in=missing)
                        .values_list("person_id", "pk", "region_path", "colour", "reasons"))
    changes, groups = [], {}
    for pid in chunk:
        if pid not in statuses:
            continue  # no such person
        _pid, pk, path, was, had = statuses[pid]
        reasons = sorted(active[pid])
        colour = rules.colour_for(reasons, status_rules=status_rules)
        if colour == was and reasons == had:
            continue
        changes.append({"person_id": pid, "region_path": path, "at": now, "colour_from": was, "colour_to": colour,
                        "reasons": reasons, "ruleset": ruleset.code})
        if colour != was:
            out["to"][colour] = out["to"].get(colour, 0) + 1
            out["changed"] += 1
        groups.setdefault((colour, tuple(reasons)), []).append(pk)
    bulk.insert_rows(StatusChange, changes)
    for (colour, reasons), pks in groups.items():
        HealthStatus.objects.filter(pk__in=pks).update(colour=colour, reasons=list(reasons), version=F("version") + 1, updated_at=now)
    if changes:
        audit.record(actor, "status.change_bulk", object_type="status.healthstatus",
                     region_path=audit.batch_path([c["region_path"] for c in changes]),
                     changes={"why": why, "people": len(changes), "to": dict(out["to"])})


def reasons_sync(*, source: str, reason: str | None, person_ids: list[int], since: dt.datetime | None = None,
                 actor) -> dict:
    """Make `source`'s active reasons exactly `reason` for each of `person_ids` (none when reason is None or the list
    is empty): sets the missing ones, clears the rest, recomputes the changed colours in bulk (a zone of thousands
    of people is a few queries per 2,000). Returns {"set", "cleared", "changed", "to"}."""
    return reasons_sync_many(items=[(source, reason, person_ids)], since=since, actor=actor)


def reasons_sync_many(*, items: list[tuple[str, str | None, list[int]]], since: dt.datetime | None = None, actor) -> dict:
    """reasons_sync for many (source, reason, person_ids) at once (every positive pool of a lab import): the same reasons
    set and cleared per source, one recompute of everyone touched (one audit entry per 2,000). Returns {"set", "cleared",
    "changed", "to"} over all of them."""
    now = clock.now()
    wanted = {source: (reason, set(people) if reason else set()) for source, reason, people in items}
    sources = sorted(wanted)
    with transaction.atomic():
        stale, cleared_people, have = [], set(), {}
        for i in range(0, len(sources), 1000):
            for pk, pid, source, r in (StatusReason.objects.filter(source__in=sources[i:i + 1000], active=True)
                                       .values_list("pk", "person_id", "source", "reason")):
                reason, people = wanted[source]
                if r != reason or pid not in people:
                    stale.append(pk)
                    cleared_people.add(pid)
                else:
                    have.setdefault(source, set()).add(pid)
        for i in range(0, len(stale), 2000):
            StatusReason.objects.filter(pk__in=stale[i:i + 2000]).update(active=False, cleared_at=now)
        todo = [(pid, wanted[source][0], source) for source in sources if wanted[source][0]
                for pid in sorted(wanted[source][1] - have.get(source, set()))]
        paths: dict[int, str] = {}
        ids = sorted({pid for pid, _r, _s in todo})
        for i in range(0, len(ids), 2000):
            paths.update(Person.objects.filter(pk__in=ids[i:i + 2000]).values_list("pk", "region_path"))
        bulk.insert_rows(StatusReason, [{"person_id": pid, "region_path": paths[pid], "reason": reason, "source": source,
                                         "since": since or now} for pid, reason, source in todo if pid in paths])
        why = sources[0] if len(sources) == 1 else f"{sources[0]} and {len(sources) - 1} more"
        result = _recompute_many(person_ids=[*ids, *cleared_people], actor=actor, now=now, why=why)
        command_services.persons_under_measures_many(items=todo)  # officers among them
    return {"set": len(todo), "cleared": len(cleared_people), **result}


def reason_clear(*, person_id: int, reason: str | None = None, source: str, actor) -> HealthStatus:
    """Clear the reasons a source set (one reason, or all of that source's)."""
    now = clock.now()
    with transaction.atomic():
        qs = StatusReason.objects.filter(person_id=person_id, source=source, active=True)
        if reason:
            qs = qs.filter(reason=reason)
        if not qs.update(active=False, cleared_at=now):
            return _status_for(person_id)  # nothing was set by this source: nothing to recompute
        return recompute(person_id=person_id, actor=actor, now=now)


def sample_recorded(*, person_id: int, sampled_at: dt.datetime, negative: bool | None, actor) -> HealthStatus:
    """Note a sample (negative=None while the result is pending) for validity windows and auto-green rules."""
    with transaction.atomic():
        status = _status_for(person_id)
        fields = []
        if status.last_sampled_at is None or sampled_at > status.last_sampled_at:
            status.last_sampled_at = sampled_at
            fields.append("last_sampled_at")
        if negative and (status.last_negative_at is None or sampled_at > status.last_negative_at):
            status.last_negative_at = sampled_at
            fields.append("last_negative_at")
        if fields:
            status.version += 1
            status.save(update_fields=[*fields, "version", "updated_at"])
    return status


def status_bulk_negatives(*, items: list[tuple[int, dt.datetime]]) -> int:
    """Record many negative samples at once (lab result imports); returns rows updated.

    Set-based, no model instances: one INSERT ... SELECT per 2,000 people without a status row yet, then the UPDATE
    that moves each person's last negative forward: on PostgreSQL one statement over the people and times as arrays
    (a round's status job is 20,000 people: one statement, not 20,000), on SQLite one executemany (in-process).
    """
    if not items:
        return 0
    latest: dict[int, dt.datetime] = {}
    for pid, at in items:
        if pid not in latest or at > latest[pid]:
            latest[pid] = at
    pids = list(latest)
    existing: set[int] = set()
    for i in range(0, len(pids), 5000):
        existing.update(HealthStatus.objects.filter(person_id__in=pids[i:i + 5000]).values_list("person_id", flat=True))
    table = HealthStatus._meta.db_table
    with transaction.atomic():
        created = _create_missing([pid for pid in pids if pid not in existing], now=clock.now())
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute(f"UPDATE {table} h SET last_negative_at = v.at, version = h.version + 1 "
                            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(person_id, at) WHERE h.person_id = v.person_id "
                            "AND (h.last_negative_at IS NULL OR h.last_negative_at < v.at)", [pids, [latest[p] for p in pids]])
            else:
                stamps = {at: connection.ops.adapt_datetimefield_value(at) for at in set(latest.values())}  # shared times
                cur.executemany(
                    f"UPDATE {table} SET last_negative_at = %s, version = version + 1 "
                    f"WHERE person_id = %s AND (last_negative_at IS NULL OR last_negative_at < %s)",
                    [(stamps[latest[p]], p, stamps[latest[p]]) for p in pids])
    return created + len(existing)


def status_follow_person(*, actor, person_id: int) -> int:
    """Move a person's health status (and its history) to the area they live in now; returns rows moved."""
    path = Person.objects.filter(pk=person_id).values_list("region_path", flat=True).first()
    if path is None:
        return 0
    access.require(actor, "people.change", path)
    with transaction.atomic():
        n = HealthStatus.objects.filter(person_id=person_id).exclude(region_path=path).update(region_path=path)
        StatusReason.objects.filter(person_id=person_id).exclude(region_path=path).update(region_path=path)
    return n


def reasons_expire(*, now: dt.datetime | None = None, actor=SYSTEM) -> dict:
    """Recompute the colour of everyone holding an active reason whose end has passed (an arrival's measure period,
    a stay's planned end): the reason ends and the colour goes back, without waiting for another change."""
    now = now or clock.now()
    due = list(StatusReason.objects.filter(active=True, until__lt=now).values_list("person_id", flat=True).distinct())
    if not due:
        return {"people": 0, "changed": 0}
    with transaction.atomic():
        out = _recompute_many(person_ids=due, actor=actor, now=now, why="reasons ended")
    return {"people": len(set(due)), "changed": out["changed"]}
