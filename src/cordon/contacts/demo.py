"""Demo: identification run for the demo's cases (cases.demo, the city's first five) and most proposals of
the first two confirmed by tracer_a (measure plans, colours, placement requests)."""

from cordon.cases.models import Case
from cordon.contacts import services
from cordon.contacts.models import RiskPerson


def seed(ctx) -> None:
    tracer = ctx.accounts.get("tracer_a")
    cases = list(Case.objects.order_by("pk")[:5])
    if tracer is None or not cases or RiskPerson.objects.exclude(status="proposed").exists():
        return
    for case in cases:
        services.contacts_identify(actor=tracer, case=case)
    confirmed = 0
    for case in cases[:2]:
        # Contacts living in other districts are handed to those districts; the tracer confirms their own.
        ids = list(RiskPerson.objects.visible_to(tracer, "change").filter(source_case=case, status="proposed")
                   .order_by("id").values_list("pk", flat=True)[:12])
        if ids:
            services.risk_decide(actor=tracer, ids=ids, decision="confirm", note="流调确认")
            confirmed += len(ids)
    proposals = RiskPerson.objects.filter(source_case__in=cases).count()
    ctx.say(f"contacts: {proposals} risk persons identified for {len(cases)} cases, {confirmed} confirmed")
