"""Demo: everyone the demo put under home isolation or home health monitoring is enrolled; over the last days most
report each morning through their link (a few with a fever or a cough), some miss days (tasks "未按时自报" for the
grid worker, a second miss in a row at priority 1); today's links and reminders go out as the hour allows."""

import datetime as dt

from cordon.core import clock
from cordon.quarantine.models import Stay
from cordon.selfreport import services
from cordon.selfreport.models import Enrolment

HISTORY_DAYS = 3


def seed(ctx) -> None:
    # the quarantine seeder set the home measures' status reasons moments after the demo's instant
    counts = services.enrolments_sync(now=max(ctx.now, clock.now()))
    # the story: people sent home by the quarantine seeder have been at home since their stay's first day
    stays = dict(Stay.objects.filter(kind__in=("home_isolation", "home_monitoring")).values_list("pk", "start"))
    for e in Enrolment.objects.filter(active=True, source__startswith="quarantine.stay:"):
        start = stays.get(int(e.source.split(":")[1]))
        if start is not None and start < e.start:
            Enrolment.objects.filter(pk=e.pk).update(start=start)
    enrolments = list(Enrolment.objects.filter(active=True).order_by("id"))
    if not enrolments:
        ctx.say("selfreport: nobody under home measures to enrol")
        return
    rng, today = ctx.rng, ctx.today
    first = today - dt.timedelta(days=HISTORY_DAYS)
    # the links went out when each person's measure started (at the earliest, the first day of the history)
    for e in enrolments:
        Enrolment.objects.filter(pk=e.pk).update(created_at=clock.day_start(max(e.start, first)))
    habit = {e.pk: rng.random() for e in enrolments}  # a few people report rarely: their misses repeat
    reports = fevers = 0
    for offset in range(HISTORY_DAYS, -1, -1):
        day = today - dt.timedelta(days=offset)
        for e in enrolments:
            if not (e.start <= day <= e.end):
                continue
            at = clock.at(day, dt.time(7 + rng.randrange(0, 4), rng.randrange(0, 60)))
            if at > ctx.now or rng.random() > (0.35 if habit[e.pk] < 0.1 else 0.9):
                continue
            fever = rng.random() < 0.03
            services.report_submit(token=services.link_token(e), now=at,
                                   temperature=f"{rng.uniform(37.4, 38.6):.1f}" if fever else f"{rng.uniform(36.0, 37.1):.1f}",
                                   symptoms=["cough"] if fever and rng.random() < 0.5 else [])
            reports += 1
            fevers += fever
        if day < today:
            services.misses_file(now=clock.at(day, dt.time(12, 30)))
    misses = services.misses_file(now=ctx.now)["filed"]
    sent = services.reminders_send(now=ctx.now)["sent"]
    ctx.say(f"selfreport: {counts['enrolled']} enrolled, {reports} reports over {HISTORY_DAYS + 1} days ({fevers} with fever), "
            f"{Enrolment.objects.filter(misses__isnull=False).distinct().count()} people with missed days ({misses} filed now), "
            f"{sent} reminders now")
