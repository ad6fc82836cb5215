"""Demo: official documents of each kind issued on the demo city by the district officers (so the issuing units are
districts, numbered per district) from persons under measures and released, quarantine stays, zones in force and
lifted; one notice superseded by a re-issue and one revoked."""

from cordon.contacts import selectors as contacts_selectors
from cordon.core.errors import ServiceError
from cordon.documents import services
from cordon.quarantine import selectors as quarantine_selectors
from cordon.zones import selectors as zones_selectors

PER_KIND = 4


def _issue(actor, *, kind: str, record: str, rows) -> list:
    made = []
    for obj in rows[:PER_KIND * 3]:
        try:
            made.append(services.document_issue(actor=actor, kind=kind, record=record, record_id=obj.pk))
        except ServiceError:  # a record the rules give no such document (no measure plan, say): skip it
            continue
        if len(made) >= PER_KIND:
            break
    return made


def seed(ctx) -> None:
    officers = [ctx.accounts[name] for name in ("district_a", "district_b") if name in ctx.accounts] or [ctx.accounts["commander"]]
    made = []
    for actor in officers:
        risks = contacts_selectors.risk_list(actor=actor, filters={"status": "under_measures"})
        made += _issue(actor, kind="quarantine_notice", record="risk", rows=list(risks))
        released = contacts_selectors.risk_list(actor=actor, filters={"status": "released"})
        made += _issue(actor, kind="release_certificate", record="risk", rows=list(released))
        stays = quarantine_selectors.stay_list(actor=actor, filters={"status": "in"})
        made += _issue(actor, kind="quarantine_notice", record="stay", rows=list(stays))
        out = quarantine_selectors.stay_list(actor=actor, filters={"status": "released"})
        made += _issue(actor, kind="release_certificate", record="stay", rows=list(out))
        zones = zones_selectors.zone_list(actor=actor, active_only=True).order_by("id")
        made += _issue(actor, kind="zone_notice", record="zone", rows=list(zones))
        lifted = zones_selectors.zone_list(actor=actor, filters={"status": "lifted"}).order_by("id")
        made += _issue(actor, kind="zone_lifting", record="zone", rows=list(lifted))
    superseded = revoked = 0
    if made:
        first = made[0]
        services.document_issue(actor=ctx.accounts["commander"], kind=first.kind, record=first.record, record_id=first.record_id)
        superseded = 1
    if len(made) > 1:
        services.document_revoke(actor=ctx.accounts["commander"], document=made[1], reason="信息登记有误，作废")
        revoked = 1
    kinds = {}
    for d in made:
        kinds[d.kind] = kinds.get(d.kind, 0) + 1
    ctx.say(f"documents: {len(made)} issued ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), "
            f"{superseded} superseded by a re-issue, {revoked} revoked")
