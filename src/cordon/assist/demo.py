"""Demo: three partner cities; requests the district A tracer sent about contacts living there (one answered, one
accepted, one still a draft); requests from partners routed to districts (residents proposed as risk persons, a
stranger waiting in a district's queue, one nothing places in the city's queue, one overdue); one answered."""

import datetime as dt

from cordon.assist import exchange, services
from cordon.assist.models import Partner
from cordon.contacts import selectors as contacts_selectors
from cordon.core import clock
from cordon.core.ids import make_id_number
from cordon.people.models import Person
from cordon.regions.models import Level, Region

PARTNERS = [("杭州市新冠肺炎疫情防控工作指挥部", "330100", "王主任", "0571-87000000"),
            ("苏州市疫情防控指挥部", "320500", "陈科长", "0512-65000000"),
            ("南京市疫情防控指挥部", "320100", "刘科长", "025-84000000")]
PLACES = ["某火锅店", "地铁2号线车厢", "某KTV包间", "高铁G7352次", "某菜市场"]


def _incoming(partner, i, *, person=None, residence_code="", stranger_area="330106", deadline=None, ctx=None):
    rng = ctx.rng
    if person is not None:
        name, number, phone = person.name, person.id_number, person.phone
    else:
        birth = dt.date(1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28))
        name, number, phone = f"{'赵钱孙李周吴郑王'[i % 8]}某{i}", make_id_number(stranger_area, birth, 100 + i, "M"), f"139{rng.randrange(10**8):08d}"
    data = {"ref": f"{partner.region_code[:4]}XC{ctx.today:%Y%m%d}{i:03d}",
            "person": {"name": name, "id_number": number, "phone": phone, "address": "某小区 1号楼 2单元 301", "residence_code": residence_code},
            "exposure": {"case_ref": f"病例{rng.randrange(1, 60)}", "contact_kind": "close_contact",
                         "last_exposure": (ctx.now - dt.timedelta(hours=rng.randrange(8, 40))).isoformat(), "place": rng.choice(PLACES)},
            "action": rng.choice(["verify", "landing"])}
    if deadline is not None:
        data["deadline"] = deadline.isoformat()
    return exchange.incoming_receive(partner=partner, data=data, via="demo")[0]


def seed(ctx) -> None:
    commander, tracer, officer_a = ctx.accounts["commander"], ctx.accounts["tracer_a"], ctx.accounts["district_a"]
    partners = [Partner.objects.filter(region_code=code).first() or services.partner_create(
        actor=commander, name=name, region_code=code, secret=f"demo-shared-secret-{code}-change-me", contact_name=who, contact_phone=phone)
        for name, code, who, phone in PARTNERS]
    a, b = Region.objects.filter(level=Level.DISTRICT).order_by("path")[:2]
    # outgoing: from risk persons of district A when the contacts demo made some, else typed in
    risks = list(contacts_selectors.risk_list(actor=tracer, filters={}).filter(region_path__startswith=a.path + ".",
                                                                              last_exposure__lte=clock.now())
                 .select_related("person")[:3])
    sent = []
    for i in range(3):
        partner = partners[i % len(partners)]
        if i < len(risks):
            req = services.request_draft(actor=tracer, partner=partner, risk=risks[i], address=f"{partner.name[:3]}某小区 {i + 1}号楼",
                                         residence_code=partner.region_code, exposure_place=PLACES[i])
        else:
            req = services.request_draft(actor=tracer, partner=partner, region=a, name=f"外市人员{i}", phone=f"136{ctx.rng.randrange(10**8):08d}",
                                         contact_kind="close_contact", last_exposure=ctx.now - dt.timedelta(hours=12 + i),
                                         case_ref="本市病例", exposure_place=PLACES[i], residence_code=partner.region_code)
        if i < 2:
            sent.append(services.request_send(actor=tracer, req=req))
    if sent:
        services.partner_reported(partner=sent[0].partner, request_ref=sent[0].our_ref, status="done", result="placed",
                                  note="已落实集中隔离", handler_ref="HZ-R-0001")
    if len(sent) > 1:
        services.partner_reported(partner=sent[1].partner, request_ref=sent[1].our_ref, status="accepted", handler_ref="SZ-R-0002")
    # incoming: residents of A and B (leads in contacts), a stranger stating a district's code, one nothing places
    residents = [Person.objects.filter(region_path__startswith=d.path + ".").order_by("pk").first() for d in (a, b)]
    made = [_incoming(partners[0], 1, person=residents[0], ctx=ctx), _incoming(partners[1], 2, person=residents[1], ctx=ctx),
            _incoming(partners[0], 3, residence_code=b.code, ctx=ctx), _incoming(partners[2], 4, residence_code="999999", stranger_area="320102", ctx=ctx),
            _incoming(partners[1], 5, residence_code=a.code, deadline=ctx.now - dt.timedelta(hours=2), ctx=ctx)]
    services.request_accept(actor=officer_a, req=made[0])
    services.request_reply(actor=officer_a, req=made[0], result="placed", note="已落实居家隔离，首次核酸阴性")
    overdue = services.requests_mark_overdue(now=clock.now())
    ctx.say(f"assist: {len(partners)} partners, {len(sent)} requests sent (one answered), {len(made)} received "
            f"({sum(1 for r in made if r.risk_person_id)} leads in contacts), {overdue} overdue")
