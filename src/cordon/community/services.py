"""Writes for grid work: door-to-door checks (bulk, idempotent per household and day), entrance passes
and passages, village checkpoints, returnee registration. Every write is audited."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cordon.command import services as command_services
from cordon.community.models import DoorCheck, EntranceLog, EntrancePass, Returnee, VillageCheckpoint
from cordon.contacts import services as contacts_services
from cordon.core import access, audit, clock, pii, policy
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.core.ids import id_number_error, normalise_id_number, validate_id_number
from cordon.people import services as people_services
from cordon.people.models import Household, Person
from cordon.regions.models import Building, Level, Region
from cordon.status import selectors as status_selectors
from cordon.status import services as status_services
from cordon.zones import selectors as zones_selectors

SYSTEM = access.system("community")  # this module's work that no user clicked

NEED_KINDS = ("food", "necessities", "medicine", "elderly_care", "baby_supplies", "medical_visit")
PASS_ROLES = ("delivery", "medical", "utilities", "volunteer", "sanitation", "security")
RISK_LEVELS = ("", "high", "medium", "low")


def _bool(value, field, row=None) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in ("1", "true", "yes", "y", "是", "on"):
        return True
    if str(value).strip().lower() in ("0", "false", "no", "n", "否", "", "none"):
        return False
    raise ServiceError.field(field, _("must be yes or no"), row=row)


def _day(value, field, row=None) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ServiceError.field(field, _("must be a date YYYY-MM-DD"), row=row) from None


def doorcheck_bulk(*, actor, items: list[dict], day: dt.date | None = None) -> dict:
    """Record door-to-door checks; every row is validated first, then all are written (same household and day updates)."""
    today = day or clock.today()
    if not items:
        raise ServiceError.field("items", _("is empty"))
    ids = []
    for i, item in enumerate(items, 1):
        try:
            ids.append(int(item.get("household_id")))
        except (TypeError, ValueError):
            raise ServiceError.field("household_id", _("must be a household id"), row=i) from None
    households = {h.pk: h for h in Household.objects.filter(pk__in=ids)}
    rows = []
    for i, (hid, item) in enumerate(zip(ids, items, strict=True), 1):
        h = households.get(hid)
        if h is None or (not access.can(actor, "community.view", h.region_path)):
            raise NotFound(_("row %(i)s, household_id: not found in your area") % {"i": i},
                           fields=[{"field": "household_id", "message": _("not found in your area"), "row": i}])
        access.require(actor, "community.change", h.region_path)
        needs = item.get("needs") or []
        if isinstance(needs, str):
            needs = [n.strip() for n in needs.split(",") if n.strip()]
        bad = [n for n in needs if n not in NEED_KINDS]
        if bad:
            raise ServiceError.field("needs", _("unknown %(choices)s; one of %(choices2)s") % {"choices": ', '.join(bad), "choices2": ', '.join(NEED_KINDS)}, row=i)
        d = _day(item["day"], "day", i) if item.get("day") else today
        if d > clock.today():
            raise ServiceError.field("day", _("is in the future"), row=i)
        absent = item.get("absent") or 0
        try:
            absent = int(absent)
        except (TypeError, ValueError):
            raise ServiceError.field("absent", _("must be a number"), row=i) from None
        all_present = _bool(item.get("all_present", absent == 0), "all_present", i)
        if all_present and absent:
            raise ServiceError.field("absent", _("cannot be above 0 when all are present"), row=i)
        rows.append(dict(household=h, day=d, answered=_bool(item.get("answered", True), "answered", i), all_present=all_present,
                         absent=absent, symptoms=_bool(item.get("symptoms", False), "symptoms", i),
                         symptom_note=str(item.get("symptom_note", ""))[:200], needs=needs, note=str(item.get("note", ""))[:300]))
    created = updated = 0
    now = clock.now()
    first_path = rows[0]["household"].region_path
    with transaction.atomic():
        for r in rows:
            h = r.pop("household")
            _obj, new = DoorCheck.objects.update_or_create(
                household=h, day=r.pop("day"),
                defaults={**r, "region_path": h.region_path, "visited_at": now,
                          "worker": access.user_or_none(actor)})
            created += new
            updated += not new
        audit.record(actor, "doorcheck.bulk", object_type="community.doorcheck", region_path=first_path,
                     changes={"created": created, "updated": updated, "symptoms": sum(1 for r in rows if r["symptoms"])})
    return {"created": created, "updated": updated}


def _community(actor, community_id, field="community_id") -> Region:
    try:
        c = Region.objects.filter(pk=int(community_id), level=Level.COMMUNITY).first()
    except (TypeError, ValueError):
        c = None
    if c is None or (not access.can(actor, "community.view", c.path)):
        raise NotFound(_("%(field)s: not found in your area") % {"field": field}, fields=[{"field": field, "message": _("not found in your area")}])
    access.require(actor, "community.change", c.path)
    return c


def pass_issue(*, actor, community_id: int, compound: str, holder_name: str, holder_phone: str, role: str,
               valid_from=None, valid_until=None) -> EntrancePass:
    """Issue an entrance pass for an essential worker to one compound."""
    c = _community(actor, community_id)
    compound = (compound or "").strip()
    if not Building.objects.filter(community=c, compound=compound).exists():
        raise ServiceError.field("compound", _("no compound %(compound)r in %(name)s") % {"compound": compound, "name": c.name})
    if not holder_name.strip():
        raise ServiceError.field("holder_name", _("is required"))
    if not holder_phone.strip().isdigit():
        raise ServiceError.field("holder_phone", _("must be a phone number"))
    if role not in PASS_ROLES:
        raise ServiceError.field("role", _("must be one of %(choices)s") % {"choices": ', '.join(PASS_ROLES)})
    start = _day(valid_from, "valid_from") if valid_from else clock.today()
    end = _day(valid_until, "valid_until") if valid_until else start + dt.timedelta(days=7)
    if end < start:
        raise ServiceError.field("valid_until", _("is before valid_from"))
    with transaction.atomic():
        p = EntrancePass.objects.create(community=c, region_path=c.path, compound=compound, holder_name=holder_name.strip(),
                                        holder_phone=holder_phone.strip(), role=role, code=secrets.token_hex(4).upper(),
                                        valid_from=start, valid_until=end,
                                        issued_by=access.user_or_none(actor))
        audit.record(actor, "entrancepass.issue", p, changes={"compound": compound, "role": role, "until": end})
    return p


def pass_revoke(*, actor, entrance_pass: EntrancePass) -> EntrancePass:
    """Revoke a pass."""
    access.require(actor, "community.change", entrance_pass.region_path)
    return audit.update(actor, entrance_pass, "entrancepass.revoke", revoked=True)


EXIT_OVERRIDE_HINT = gettext_lazy("for a medical emergency, childbirth or dialysis a street or district officer (or the command "
                                  "centre) records the exit with an override reason (permission community.override); the "
                                  "emergency line stays open")


def passage_record(*, actor, community_id: int, compound: str, direction: str, pass_code: str = "",
                   person_id: int | None = None, purpose: str = "", at: dt.datetime | None = None,
                   override_reason: str = "") -> EntranceLog:
    """Log one entry or exit at a compound entrance: a resident of the compound, or a valid pass for it.

    A resident whose colour may not leave (a case, under home or centralized measures, living in a sealed zone) is
    refused the exit, the answer saying how to get an override; an authorised officer (community.override) records
    an exit that must happen with override_reason, kept on the log and audited as entrance.override."""
    return passages_record_many(actor=actor, items=[{
        "community_id": community_id, "compound": compound, "direction": direction, "pass_code": pass_code,
        "person_id": person_id, "purpose": purpose, "at": at, "override_reason": override_reason}])[0]


def _passage_row(actor, item: dict, *, row, communities: dict, people: dict) -> dict:
    """One passage checked (nothing written): its community, pass or resident, colour and override; Conflict
    exit_refused for an exit the resident's colour may not make without an override reason."""
    key = item["community_id"]
    if key not in communities:
        communities[key] = _community(actor, key)
    c = communities[key]
    compound, direction = item["compound"], item["direction"]
    if direction not in ("in", "out"):
        raise ServiceError.field("direction", _("must be in or out"), row=row)
    at = item.get("at") or clock.now()
    pass_code, person_id = (item.get("pass_code") or "").strip(), item.get("person_id")
    entrance_pass, person = None, None
    if pass_code:
        entrance_pass = EntrancePass.objects.filter(code=pass_code.upper(), community=c, compound=compound).first()
        if entrance_pass is None:
            raise ServiceError.field("pass_code", _("no such pass for this compound"), row=row)
        day = clock.day_of(at)
        if entrance_pass.revoked or not (entrance_pass.valid_from <= day <= entrance_pass.valid_until):
            raise ServiceError.field("pass_code", _("the pass is revoked or not valid today"), row=row)
    elif person_id:
        person = people.get(person_id)
        b = person.household.building if person and person.household_id else None
        if b is None or b.community_id != c.pk or b.compound != compound:
            raise ServiceError.field("person_id", _("is not a resident of this compound"), row=row)
    else:
        raise ServiceError.field("pass_code", _("give a pass code or a resident"), row=row)
    override_reason = (item.get("override_reason") or "").strip()[:200]
    colour, overridden = "", False
    if person is not None:
        check = status_selectors.exit_check(actor=actor, person_id=person.pk, on=at)
        colour = check["colour"]
        if direction == "out" and check["refused"]:
            if not override_reason:
                fields = [{"field": "person_id", "message": _("may not leave (%(colour)s); %(EXIT_OVERRIDE_HINT)s") % {"colour": colour, "EXIT_OVERRIDE_HINT": EXIT_OVERRIDE_HINT}}]
                raise Conflict(_("exit refused: the resident's code is %(colour)s (%(join_check_reasons_or_rule)s) and may not leave; %(EXIT_OVERRIDE_HINT)s") % {"colour": colour, "join_check_reasons_or_rule": ', '.join(check['reasons']) or 'rule', "EXIT_OVERRIDE_HINT": EXIT_OVERRIDE_HINT}, code="exit_refused",
                               fields=[{**f, "row": row} for f in fields] if row else fields)
            access.require(actor, "community.override", c.path)
            overridden = True
    log = EntranceLog(community=c, region_path=c.path, compound=compound, direction=direction, at=at, person=person,
                      entrance_pass=entrance_pass, purpose=(item.get("purpose") or "")[:100], colour=colour,
                      override_reason=override_reason if overridden else "", recorded_by=access.user_or_none(actor))
    return {"log": log, "overridden": overridden, "reason": override_reason}


def passages_record_many(*, actor, items: list[dict], skip_refused: bool = False) -> list[EntranceLog | None]:
    """Log passages at compound entrances (each item: passage_record's arguments), all checked before any is written.

    A row that fails raises with its row number (of a batch of more than one) and nothing is written; with
    skip_refused an exit refused for the resident's colour (Conflict exit_refused) is left out instead (None in its
    place) and the others are written. Audit: each override its own entrance.override entry; the other passages one
    entrance.passage entry (the log itself for one passage; for more, their count and ids)."""
    many = len(items) > 1
    people = {p.pk: p for p in Person.objects.select_related("household__building").filter(
        pk__in={i["person_id"] for i in items if i.get("person_id") and not (i.get("pass_code") or "").strip()})}
    communities: dict = {}
    rows: list[dict | None] = []
    for n, item in enumerate(items, start=1):
        try:
            rows.append(_passage_row(actor, item, row=n if many else None, communities=communities, people=people))
        except Conflict as exc:
            if not (skip_refused and exc.code == "exit_refused"):
                raise
            rows.append(None)
    kept = [r for r in rows if r is not None]
    with transaction.atomic():
        EntranceLog.objects.bulk_create([r["log"] for r in kept])
        plain = [r["log"] for r in kept if not r["overridden"]]
        for r in kept:
            log = r["log"]
            if r["overridden"] or len(plain) == 1:
                audit.record(actor, "entrance.override" if r["overridden"] else "entrance.passage", log,
                             changes={"direction": log.direction, "pass": log.entrance_pass_id, "person": log.person_id,
                                      "colour": log.colour, **({"reason": r["reason"]} if r["overridden"] else {})})
        if len(plain) > 1:
            ids = [log.pk for log in plain]
            audit.record(actor, "entrance.passage", object_type="community.entrancelog", object_id=ids[0],
                         region_path=audit.batch_path([log.region_path for log in plain]),
                         changes={"count": len(ids), "ids": ids, "out": sum(1 for log in plain if log.direction == "out")})
    return [r["log"] if r is not None else None for r in rows]


def _village(actor, village_id) -> Region:
    v = _community(actor, village_id, field="village_id")
    if not v.is_rural:
        raise ServiceError.field("village_id", _("%(name)s is not a village") % {"name": v.name})
    return v


def checkpoint_create(*, actor, village_id: int, name: str, location: str = "", staff: str = "", phone: str = "") -> VillageCheckpoint:
    """Set up a village checkpoint."""
    v = _village(actor, village_id)
    if not name.strip():
        raise ServiceError.field("name", _("is required"))
    with transaction.atomic():
        cp = VillageCheckpoint.objects.create(village=v, region_path=v.path, name=name.strip(), location=location, staff=staff, phone=phone)
        audit.record(actor, "villagecheckpoint.create", cp, changes={"name": name})
    return cp


def _arrival_measures(*, actor, returnee: Returnee, person_id: int, day: dt.date) -> None:
    """Hand a returnee from a risk area over to measures the way a checkpoint hold does: the arrival status reason
    for the rule set's measure period (when the rule set manages the category) and a proposed risk person."""
    category = f"{returnee.from_risk}_risk_arrival"
    arrived = min(clock.aware(dt.datetime.combine(day, dt.time(12))), clock.now())
    ruleset = policy.in_force(arrived)
    category_rules = ruleset.get(f"measures.categories.{category}") or {}
    days = sum(int(p.get("days", 0)) for p in category_rules.get("phases", []) or [])
    source = f"community.returnee:{returnee.pk}"
    if category_rules.get("identified") and days and category in (ruleset.get("status.reasons") or {}):
        status_services.reason_set(person_id=person_id, reason=category, source=source, since=arrived,
                                   until=arrived + dt.timedelta(days=days), actor=actor)
    contacts_services.riskperson_propose(actor=actor, person_id=person_id, category=category, last_exposure=arrived,
                                         source=source, note=f"returnee from {returnee.from_place}")


def _destination_grid(actor, village: Region, grid_id) -> Region:
    try:
        grid = Region.objects.filter(pk=int(grid_id), level=Level.GRID).first()
    except (TypeError, ValueError):
        grid = None
    if grid is None or not grid.path.startswith(village.path + ".") or not access.can(actor, "community.view", grid.path):
        raise NotFound(_("grid_id: not found in this village"), fields=[{"field": "grid_id", "message": _("not found in this village")}])
    return grid


def returnee_register(*, actor, village_id: int, name: str, id_number: str, phone: str, from_place: str,
                      arrived_on=None, from_risk: str = "", checkpoint_id: int | None = None, note: str = "",
                      grid_id: int | None = None) -> Returnee:
    """Register a returnee; one from a high- or medium-risk area files a follow-up task for the village post and is
    handed over to measures (arrival status reason, proposed risk person for the tracer to confirm). One who is not a
    registered resident is registered on the spot as a person in their destination grid (grid_id) first."""
    v = _village(actor, village_id)
    id_number = normalise_id_number(id_number)
    try:
        validate_id_number(id_number)
    except ValueError as exc:
        raise id_number_error(exc) from None
    if not name.strip():
        raise ServiceError.field("name", _("is required"))
    if not (phone or "").strip().isdigit():
        raise ServiceError.field("phone", _("must be a phone number"))
    if not from_place.strip():
        raise ServiceError.field("from_place", _("is required"))
    if from_risk not in RISK_LEVELS:
        raise ServiceError.field("from_risk", _("must be high, medium, low or empty"))
    day = _day(arrived_on, "arrived_on") if arrived_on else clock.today()
    # the national risk-area list decides when it knows the place higher than declared
    listed = zones_selectors.external_risk(place=from_place, on=min(clock.aware(dt.datetime.combine(day, dt.time(12))), clock.now()))
    if listed and RISK_LEVELS.index(listed["level"]) < (RISK_LEVELS.index(from_risk) if from_risk else len(RISK_LEVELS)):
        from_risk = listed["level"]
    existing = Returnee.objects.filter(id_number=id_number, arrived_on=day).first()
    if existing:
        return existing
    checkpoint = VillageCheckpoint.objects.filter(pk=checkpoint_id, village=v).first() if checkpoint_id else None
    if checkpoint_id and checkpoint is None:
        raise ServiceError.field("checkpoint_id", _("no such checkpoint in this village"))
    person = Person.objects.filter(id_number=id_number).first()
    at_risk = from_risk in ("high", "medium")
    grid = None
    if at_risk and person is None:
        if not grid_id:
            raise ServiceError.field("grid_id", _("a returnee from a risk area who is not a resident is registered in their "
                                                "destination grid: give the grid"))
        grid = _destination_grid(actor, v, grid_id)
    with transaction.atomic():
        if grid is not None:
            person = people_services.person_create(actor=actor, name=name.strip(), id_number=id_number, grid=grid,
                                                   phone=phone.strip(), address=f"{grid.name} (returnee from {from_place.strip()})"[:200])
        r = Returnee.objects.create(village=v, region_path=v.path, checkpoint=checkpoint, person=person, name=name.strip(),
                                    id_number=id_number, phone=phone.strip(), from_place=from_place.strip(), from_risk=from_risk,
                                    arrived_on=day, note=note[:300],
                                    recorded_by=access.user_or_none(actor))
        audit.record(actor, "returnee.register", r, changes={"from": from_place, "risk": from_risk,
                                                             "registered_person": grid is not None})
        if from_risk in ("high", "medium"):
            command_services.task_create(actor=SYSTEM, title=f"返乡人员跟进 / follow up returnee from {from_place}",
                                         kind="community.returnee", region_path=v.path,
                                         deadline=clock.now() + dt.timedelta(hours=12), owner_role="community_worker",
                                         priority=1 if from_risk == "high" else 2, detail=f"returnee {r.pk}",
                                         source=f"community.returnee:{r.pk}")
            if person is not None:
                _arrival_measures(actor=actor, returnee=r, person_id=person.pk, day=day)
    return r


# --- retention -------------------------------------------------------------------------------------

PSEUDONYM_NAME = pii.PSEUDONYM_NAME


def retention_run(*, actor, days: int | None = None, dry_run: bool = False, today: dt.date | None = None) -> dict:
    """Pseudonymise returnees and compound passes whose measures or validity ended more than `days` ago.

    Returnees are counted from their arrival plus the longest home-measure period of the rule set in force
    (14 days), passes from their last valid day. Names become 已脱敏, ID numbers a keyed pseudonym, phones
    are blanked; counts, dates, places and risk levels stay for the statistics. A dry run counts only.
    """
    access.require(actor, "community.change")
    days = settings.CORDON_RETENTION_DAYS if days is None else int(days)
    if days < 0:
        raise ServiceError.field("days", _("must be 0 or more"))
    today = today or clock.today()
    returnee_cut = today - dt.timedelta(days=days + 14)
    pass_cut = today - dt.timedelta(days=days)
    returnees = access.scope(Returnee.objects.filter(arrived_on__lt=returnee_cut).exclude(name=PSEUDONYM_NAME),
                             actor, "community.change")
    passes = access.scope(EntrancePass.objects.filter(valid_until__lt=pass_cut).exclude(holder_name=PSEUDONYM_NAME),
                          actor, "community.change")
    counts = {"returnees": returnees.count(), "passes": passes.count(), "days": days, "dry_run": dry_run}
    if dry_run:
        return counts
    with transaction.atomic():
        for r in returnees.select_for_update().only("pk", "id_number"):
            Returnee.objects.filter(pk=r.pk).update(name=PSEUDONYM_NAME, id_number=pii.pseudonym_id_number(r.id_number), phone="")
        passes.update(holder_name=PSEUDONYM_NAME, holder_phone="")
        audit.record(actor, "community.retention", object_type="community.returnee",
                     changes={k: v for k, v in counts.items() if k != "dry_run"} | {"before_returnee_arrival": returnee_cut,
                                                                                     "before_pass_end": pass_cut})
    return counts
