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


def _sources(actor):
    """(kind, record, rows) for every kind, read through the actor's scoped selectors."""
    return [
        ("quarantine_notice", "risk", lambda: contacts_selectors.risk_list(actor=actor, filters={"status": "under_measures"})),
        ("release_certificate", "risk", lambda: contacts_selectors.risk_list(actor=actor, filters={"status": "released"})),
        ("quarantine_notice", "stay", lambda: quarantine_selectors.stay_list(actor=actor, filters={"status": "in"})),
        ("release_certificate", "stay", lambda: quarantine_selectors.stay_list(actor=actor, filters={"status": "released"})),
        ("zone_notice", "zone", lambda: zones_selectors.zone_list(actor=actor, active_only=True).order_by("id")),
        ("zone_lifting", "zone", lambda: zones_selectors.zone_list(actor=actor, filters={"status": "lifted"}).order_by("id")),
    ]


def seed(ctx) -> None:
    officers = [ctx.accounts[name] for name in ("district_a", "district_b") if name in ctx.accounts]
    made = []
    for actor in officers:
        for kind, record, rows in _sources(actor):
            made += _issue(actor, kind=kind, record=record, rows=list(rows()))
    # a kind no district officer could issue (its record lies in another district): the city command issues it
    for kind, record, rows in _sources(ctx.accounts["commander"]):
        if not any(d.kind == kind for d in made):
            made += _issue(ctx.accounts["commander"], kind=kind, record=record, rows=list(rows()))
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
