"""Demo: a small outbreak in district A. Five cases reported by tracer_a from residents with venue
scans, their interview trajectories from those scans, a named contact, two infector links, cases at
different points of the timeline. (contacts.demo then runs identification and confirms most proposals
of the first cases.)"""

import datetime as dt

from cordon.cases import services
from cordon.cases.models import Case
from cordon.core import clock
from cordon.people.models import Person
from cordon.venues.models import CheckIn


def seed(ctx) -> None:
    tracer = ctx.accounts.get("tracer_a")
    if tracer is None or Case.objects.exists():
        return
    district = tracer.posts.filter(active=True).select_related("region").first().region
    now = ctx.now
    recent = CheckIn.objects.filter(venue__region_path__startswith=district.path + ".", time_in__gte=now - dt.timedelta(days=3),
                                    time_out__lte=now - dt.timedelta(hours=2), person__region_path__startswith=district.path + ".")
    ids = list(recent.order_by("id").values_list("person_id", flat=True)[:4000])
    if not ids:
        ctx.say("cases: no recent check-ins in district A, no demo cases")
        return
    pool = list(dict.fromkeys(ids))
    ctx.rng.shuffle(pool)
    chosen = pool[:5]
    plan = [("confirmed", "fever_clinic", 4, "report_done"), ("confirmed", "community", 3, "core_done"),
            ("asymptomatic", "screening", 2, "investigating"), ("confirmed", "fever_clinic", 1, "investigating"),
            ("asymptomatic", "quarantine", 0, "reported")]
    cases = []
    for (kind, found_by, days_ago, _status), pid in zip(plan, chosen, strict=False):
        last = CheckIn.objects.filter(person_id=pid).order_by("-time_out").values_list("time_out", flat=True).first()
        confirmed = min(now - dt.timedelta(minutes=30), last + dt.timedelta(hours=3)) if last else now - dt.timedelta(hours=days_ago * 6 + 1)
        onset = clock.day_of(confirmed) - dt.timedelta(days=1) if kind == "confirmed" else None
        sampled = confirmed - dt.timedelta(hours=8)
        case = services.case_report(actor=tracer, person_id=pid, kind=kind, found_by=found_by, confirmed_at=confirmed,
                                    onset_date=onset, sampled_at=sampled, severity="mild" if kind == "confirmed" else "none")
        stays = list(CheckIn.objects.filter(person_id=pid, time_in__gte=confirmed - dt.timedelta(days=3), time_out__lte=confirmed)
                     .select_related("venue").order_by("time_in")[:8])
        items = [{"kind": "transport" if s.venue.kind == "bus" else "place", "venue_code": s.venue.code, "time_in": s.time_in,
                  "time_out": s.time_out, "vehicle": s.venue.name if s.venue.kind == "bus" else ""} for s in stays]
        kept, last_out = [], None
        for item in items:
            if last_out is None or item["time_in"] >= last_out:
                kept.append(item)
                last_out = item["time_out"]
        if kept:
            services.stays_add(actor=tracer, case=case, items=kept)
        services.case_update(actor=tracer, case=case, symptoms="发热 38.2℃, 咽痛" if kind == "confirmed" else "",
                             test_history="近 3 天核酸: 阴性, 阴性, 阳性", notes="流调进行中，已电话联系本人")
        if _status != "reported":  # the 流调表 (questionnaires app) is filled once the interview has started
            services.case_questionnaire_answer(actor=tracer, case=case, data=_questionnaire(kind, onset, sampled, ctx.rng))
        cases.append(case)
    friend = Person.objects.filter(region_path__startswith=district.path + ".").exclude(pk__in=chosen).order_by("id").first()
    if friend is not None:
        services.named_contacts_add(actor=tracer, case=cases[0], items=[{"person_id": friend.pk, "setting": "聚餐", "protection": "未戴口罩",
                                                                         "last_exposure": cases[0].confirmed_at - dt.timedelta(hours=20)}])
    if len(cases) >= 3:
        services.case_link_infector(actor=tracer, case=cases[1], infector_id=cases[0].pk)
        services.case_link_infector(actor=tracer, case=cases[2], infector_id=cases[1].pk)
    for case, (_, _, _, status) in zip(cases, plan, strict=False):
        if status != "reported":
            services.case_advance(actor=tracer, case=case, status=status)
    ctx.say(f"cases: {len(cases)} cases in {district.name}")


def _questionnaire(kind: str, onset, sampled, rng) -> dict:
    """Plausible answers to the shipped protocol-9 investigation questionnaire."""
    symptomatic = kind == "confirmed"
    answers = {"occupation": rng.choice(["service", "student", "driver", "retired"]), "has_symptoms": "yes" if symptomatic else "no",
               "vaccinated": "yes", "doses": rng.choice([2, 3]), "travelled": "no", "risk_area": "no", "contact_case": "no",
               "home_contacts": rng.randint(1, 4), "work_contacts": rng.randint(0, 12), "transport": ["bus", "walk"],
               "transport_detail": "公交通勤", "tests_14d": rng.randint(3, 8), "first_positive_at": clock.local(sampled).isoformat(),
               "found_how": "fever_clinic" if symptomatic else "screening", "underlying": ["none"], "venue_kinds": ["market", "restaurant"],
               "venues_detail": "见轨迹"}
    if symptomatic:
        answers.update({"symptoms": ["fever", "sore_throat"], "onset_date": onset.isoformat(), "max_temperature": 38.2})
    return answers
