"""Writes of self-reporting: enrolment from the home-measure status reasons, the personal link, the person's daily
report (a fever or symptom becomes a task for the grid worker), missed reports at the cut-off (a task "未按时自报",
priority raised when misses repeat), reminders and an officer's resend.

The link's token is an HMAC of the enrolment's random salt with the secret key: never stored, only its SHA-256
(to find the enrolment), recomputed to send the link again. The day is the city's day (core.clock).
A second report on the same day replaces the first one's values (the latest reading counts) and counts the
submission; a task filed by an earlier fever that day stays open.
"""

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cordon.command import services as command_services
from cordon.core import access, audit, clock, pii, policy, throttle
from cordon.core.errors import ServiceError
from cordon.outbox import services as outbox
from cordon.people.models import Person
from cordon.questionnaires import services as questionnaires
from cordon.selfreport import rules, selectors
from cordon.selfreport.enums import TASK_FEVER, TASK_MISSED, EndReason, MeasureKind
from cordon.selfreport.models import Enrolment, Miss, Reminder, Report
from cordon.status.models import StatusReason

SYSTEM = access.system("selfreport")
HOME_REASONS = (MeasureKind.HOME_ISOLATION, MeasureKind.HOME_MONITORING)


def day_rules(day: dt.date) -> dict:
    """The self-report rule values in force on a city day, with the fever threshold of quarantine's section."""
    rs = policy.in_force(day)
    section = rs.section("selfreport")
    return {"cutoff_hour": int(section.get("cutoff_hour", 12)), "reminder_hours": list(section.get("reminder_hours", [8, 11])),
            "fever_task_hours": int(section.get("fever_task_hours", 2)), "missed_task_hours": int(section.get("missed_task_hours", 4)),
            "priority_after_misses": int(section.get("priority_after_misses", 2)),
            "default_days": int(section.get("default_days", 7)),
            "fever_threshold": float(rs.get("quarantine.fever_threshold", 37.3))}


# --------------------------------------------------------------------------- the link

def link_token(enrolment: Enrolment) -> str:
    """The personal link's token: HMAC(secret key, salt), 32 URL-safe characters."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"cordon.selfreport.link:" + enrolment.salt.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def link_url(enrolment: Enrolment) -> str:
    """The absolute link sent to the person (settings.CORDON_PUBLIC_URL + /selfreport/r/<token>/)."""
    return settings.CORDON_PUBLIC_URL.rstrip("/") + reverse("selfreport:public", args=[link_token(enrolment)])


def _new_secret(enrolment: Enrolment) -> None:
    enrolment.salt = secrets.token_urlsafe(18)[:32]
    enrolment.token_hash = rules.token_hash(link_token(enrolment))


LINK_HITS_PER_WINDOW = 30  # uses of one personal link per throttle window (page views and reports)


def link_throttled(*, address: str, token: str) -> bool:
    """Count one use of the public link (core.throttle): per client address (loosely, as a district may share one
    address: settings.CORDON_LOOKUP_PER_ADDRESS) and per link; True once either is over its limit."""
    window = settings.CORDON_LOOKUP_WINDOW_SECONDS
    return not throttle.allow(
        (throttle.Limit("selfreport.address", settings.CORDON_LOOKUP_PER_ADDRESS, window), address or "-"),
        (throttle.Limit("selfreport.link", LINK_HITS_PER_WINDOW, window), rules.token_hash(token)))


def link_state(enrolment: Enrolment, day: dt.date) -> str:
    """open | ended | not_started: whether the link takes a report on a city day."""
    if not enrolment.active or day > enrolment.end:
        return "ended"
    if day < enrolment.start:
        return "not_started"
    return "open"


# --------------------------------------------------------------------------- enrolment

def _rank(entry: tuple) -> tuple:
    return entry[0] == MeasureKind.HOME_ISOLATION, entry[3]


def _wanted(now: dt.datetime, default_days: int) -> dict[int, tuple[str, str, dt.date, dt.date]]:
    """person -> (kind, source, start, end) from the home-measure status reasons in force now; home isolation wins
    over monitoring, then the later end."""
    today = clock.day_of(now)
    reasons = (StatusReason.objects.filter(reason__in=HOME_REASONS, active=True, since__lte=now)
               .filter(Q(until__isnull=True) | Q(until__gt=now))
               .values_list("person_id", "reason", "source", "since", "until").order_by("person_id", "since", "id"))
    out: dict[int, tuple[str, str, dt.date, dt.date]] = {}
    for pid, reason, source, since, until in reasons.iterator():
        last = clock.day_of(until - dt.timedelta(microseconds=1)) if until else None
        start, end = rules.window(since=clock.day_of(since), until=last, default_days=default_days)
        if until is None:
            end = max(end, today)
        entry = (reason, source, start, end)
        cur = out.get(pid)
        if cur is None or _rank(entry) > _rank(cur):
            out[pid] = entry
    return out


def enrolments_sync(*, actor=SYSTEM, now: dt.datetime | None = None) -> dict:
    """Enrol everyone under home isolation or home health monitoring (status reasons in force) and end the
    enrolments whose measures ended; kind, dates and grid follow the measure. One audit entry per run."""
    now = now or clock.now()
    wanted = _wanted(now, day_rules(clock.day_of(now))["default_days"])
    grids = dict(Person.objects.filter(pk__in=list(wanted)).values_list("pk", "region_path")) if wanted else {}
    counts = {"enrolled": 0, "updated": 0, "ended": 0}
    with transaction.atomic():
        current = {e.person_id: e for e in Enrolment.objects.select_for_update().filter(active=True)}
        for pid, e in current.items():
            if pid not in wanted:
                e.active, e.ended_at, e.end_reason = False, now, EndReason.MEASURES_ENDED
                e.save(update_fields=["active", "ended_at", "end_reason"])
                counts["ended"] += 1
                continue
            kind, source, start, end = wanted[pid]
            new = {"kind": kind, "source": source, "start": min(start, e.start), "end": end, "region_path": grids.get(pid, e.region_path)}
            if any(getattr(e, k) != v for k, v in new.items()):
                for k, v in new.items():
                    setattr(e, k, v)
                e.save(update_fields=list(new))
                counts["updated"] += 1
        fresh = []
        for pid in sorted(set(wanted) - set(current)):
            kind, source, start, end = wanted[pid]
            e = Enrolment(person_id=pid, kind=kind, source=source, start=start, end=end, region_path=grids[pid])
            _new_secret(e)
            fresh.append(e)
        Enrolment.objects.bulk_create(fresh, batch_size=500)
        counts["enrolled"] = len(fresh)
        if any(counts.values()):
            audit.record(actor, "selfreport.enrolments_sync", object_type="selfreport.enrolment", changes=counts)
    return counts


# --------------------------------------------------------------------------- the person's report

QUESTIONNAIRE = "self_report"  # the questionnaires app's kind: temperature (decimal) and symptoms (multiple, "none")


def clean_reading(temperature, symptoms) -> tuple[Decimal, list[str]]:
    """A temperature in °C (34.0 to 43.0) and the symptom codes (without "none"); errors name the field."""
    try:
        t = Decimal(str(temperature).strip()).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ServiceError.field("temperature", _("Temperature: %(value)s is not a temperature") % {"value": temperature}) from None
    if not Decimal("34.0") <= t <= Decimal("43.0"):
        raise ServiceError.field("temperature", _("Temperature: must be between 34.0 and 43.0 °C"))
    return t, [str(s) for s in (symptoms or []) if s and s != "none"]


def shortcut_answers(*, temperature, symptoms=()) -> dict:
    """Answers to the self-report questionnaire from a temperature and symptom codes (none: "none")."""
    return {"temperature": temperature, "symptoms": list(symptoms or []) or ["none"]}


def _person_label(enrolment: Enrolment) -> str:
    p = enrolment.person
    return f"{pii.mask_name(p.name)} {pii.mask_phone(p.phone)}".strip()


def report_submit(*, token: str, answers: dict | None = None, temperature=None, symptoms=(), now: dt.datetime | None = None) -> Report:
    """The person's daily report through the link (no login): the current self-report questionnaire's answers (or a
    temperature and symptoms), once per city day (a second one replaces the values); a fever or a symptom files a task
    for the grid worker, a late report closes the day's missed-report task. The answers are kept against the
    questionnaire version used (questionnaires.answer_save)."""
    enrolment = selectors.enrolment_by_token(token=token)
    if enrolment is None:
        raise ServiceError(_("this self-report link is not valid"), code="invalid_token", status=404)
    now = now or clock.now()
    day = clock.day_of(now)
    state = link_state(enrolment, day)
    if state != "open":
        raise ServiceError(_("this self-report link has ended") if state == "ended" else _("self-reporting starts on %(day)s") % {"day": enrolment.start},
                           code=f"link_{state}", status=410 if state == "ended" else 409)
    version = questionnaires.current(QUESTIONNAIRE)
    clean = questionnaires.clean_answers(version, answers if answers is not None else shortcut_answers(temperature=temperature, symptoms=symptoms))
    t, symptoms = clean_reading(clean.get("temperature"), clean.get("symptoms"))
    r = day_rules(day)
    fever = rules.is_fever(t, threshold=r["fever_threshold"])
    with transaction.atomic():
        report, created = Report.objects.select_for_update().get_or_create(
            enrolment=enrolment, day=day, defaults={"region_path": enrolment.region_path, "at": now, "temperature": t,
                                                    "symptoms": symptoms, "fever": fever})
        if not created:
            report.at, report.temperature, report.symptoms, report.fever = now, t, symptoms, fever
            report.submissions += 1
        response = questionnaires.answer_save(actor=SYSTEM, version=version, subject_type="selfreport.report", subject_id=report.pk,
                                              region_path=enrolment.region_path, data=clean)
        report.answer_id = response.pk
        report.save(update_fields=["at", "temperature", "symptoms", "fever", "submissions", "answer_id"])
        if fever or symptoms:
            _fever_task(enrolment, report, r, now)
        command_services.task_close_by_source(actor=SYSTEM, source=f"selfreport:{enrolment.pk}:{day.isoformat()}:missed",
                                              result="reported late")
        audit.record(SYSTEM, "selfreport.report", report, changes={"day": day, "temperature": t, "symptoms": symptoms,
                                                                  "fever": fever, "submission": report.submissions,
                                                                  "questionnaire_version": version.pk})
    return report


def _fever_task(enrolment: Enrolment, report: Report, r: dict, now: dt.datetime) -> None:
    what = _("Fever") if report.fever else _("Symptoms")
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Self-report: %(what)s, %(t)s °C: %(who)s") % {"what": what, "t": report.temperature, "who": _person_label(enrolment)}
    command_services.task_create(
        actor=SYSTEM, title=title, kind=TASK_FEVER, region_path=enrolment.region_path,
        deadline=now + dt.timedelta(hours=r["fever_task_hours"]), owner_role="grid_worker", priority=1,
        detail=f"enrolment {enrolment.pk}, {report.day}: {report.temperature} °C, {', '.join(report.symptoms) or '-'}",
        source=f"selfreport:{enrolment.pk}:{report.day.isoformat()}")


# --------------------------------------------------------------------------- missed reports

def _due_days(now: dt.datetime, r_today: dict) -> list[dt.date]:
    """Yesterday (catch-up after a pause) and today once past today's cut-off."""
    today = clock.day_of(now)
    days = [today - dt.timedelta(days=1)]
    if rules.past_cutoff(clock.local(now).time(), cutoff_hour=r_today["cutoff_hour"]):
        days.append(today)
    return days


def misses_file(*, actor=SYSTEM, now: dt.datetime | None = None) -> dict:
    """After the day's cut-off hour (city time), a task "未按时自报" for the grid worker of each person enrolled before
    the cut-off who has not reported that day; priority 1 once the misses in a row reach the rule's count. Idempotent
    per person and day; yesterday is caught up when the job did not run after its cut-off."""
    now = now or clock.now()
    filed = 0
    for day in _due_days(now, day_rules(clock.day_of(now))):
        r = day_rules(day)
        cutoff = clock.at(day, dt.time(r["cutoff_hour"]))
        due = (Enrolment.objects.filter(start__lte=day, end__gte=day, created_at__lt=cutoff)
               .filter(Q(active=True) | Q(ended_at__gt=cutoff))
               .exclude(reports__day=day).exclude(misses__day=day).select_related("person").order_by("id"))
        with transaction.atomic():
            batch = 0
            for e in due:
                before = Miss.objects.filter(enrolment=e, day=day - dt.timedelta(days=1)).values_list("streak", flat=True).first()
                streak = (before or 0) + 1
                with translation.override(settings.LANGUAGE_CODE):
                    title = _("Self-report missed: %(who)s") % {"who": _person_label(e)}
                    if streak > 1:
                        title += _(" (%(n)d days in a row)") % {"n": streak}
                task = command_services.task_create(
                    actor=SYSTEM, title=title, kind=TASK_MISSED, region_path=e.region_path,
                    deadline=max(now, cutoff) + dt.timedelta(hours=r["missed_task_hours"]), owner_role="grid_worker",
                    priority=rules.miss_priority(streak, priority_after_misses=r["priority_after_misses"]),
                    detail=f"enrolment {e.pk}: no self-report on {day} by {r['cutoff_hour']}:00",
                    source=f"selfreport:{e.pk}:{day.isoformat()}:missed")
                Miss.objects.create(enrolment=e, day=day, streak=streak, task_id=task.pk, at=now, region_path=e.region_path)
                batch += 1
            if batch:
                audit.record(actor, "selfreport.misses", object_type="selfreport.miss", changes={"day": day, "filed": batch})
        filed += batch
    return {"filed": filed}


# --------------------------------------------------------------------------- reminders

def _send(enrolment: Enrolment, *, day: dt.date, round_: int, now: dt.datetime, by=None, actor=SYSTEM) -> Reminder:
    """One SMS with the person's link through the outbox (idempotent per enrolment, day and round; an officer's resend
    is a message of its own), recorded as a Reminder. A phone the SMS channel refuses raises the outbox's ServiceError."""
    reminder = Reminder.objects.create(enrolment=enrolment, day=day, round=round_, at=now, region_path=enrolment.region_path,
                                       sent_by=access.user_or_none(by))
    dedupe = f"selfreport:{enrolment.pk}:{day.isoformat()}" + {0: f":resend:{reminder.pk}", 1: "", 2: ":2"}.get(round_, f":{round_}")
    outbox.enqueue(actor=actor, kind="selfreport.reminder", channel="sms", to=enrolment.person.phone,
                   template="selfreport/messages/reminder.txt", language="zh-hans", region_path=enrolment.region_path,
                   context={"city": settings.CORDON_CITY_NAME, "link": link_url(enrolment), "round": round_,
                            "cutoff": day_rules(day)["cutoff_hour"], "end": enrolment.end.isoformat()},
                   dedupe_key=dedupe, related=enrolment)
    Enrolment.objects.filter(pk=enrolment.pk).update(link_sent_at=now)
    return reminder


def reminders_send(*, actor=SYSTEM, now: dt.datetime | None = None) -> dict:
    """The morning link (first reminder hour) and a second reminder before the cut-off to everyone enrolled who has
    not reported today; one message per person, day and round."""
    now = now or clock.now()
    day, hour = clock.day_of(now), clock.local(now).hour
    r = day_rules(day)
    rounds = [i for i, h in enumerate(r["reminder_hours"], start=1) if h <= hour < r["cutoff_hour"]]
    if not rounds:
        return {"sent": 0}
    round_ = rounds[-1]
    due = (Enrolment.objects.filter(active=True, start__lte=day, end__gte=day).exclude(reports__day=day)
           .exclude(reminders__day=day, reminders__round=round_).select_related("person").order_by("id"))
    sent = unreachable = 0
    with transaction.atomic():
        for e in due:
            try:
                with transaction.atomic():
                    _send(e, day=day, round_=round_, now=now, actor=actor)
                sent += 1
            except ServiceError:  # no mobile number the SMS channel takes: the grid worker reaches them (missed task)
                unreachable += 1
        if sent or unreachable:
            audit.record(actor, "selfreport.reminders", object_type="selfreport.reminder",
                         changes={"day": day, "round": round_, "sent": sent, "unreachable": unreachable})
    return {"sent": sent, "round": round_, "unreachable": unreachable}


def link_resend(*, actor, enrolment: Enrolment, now: dt.datetime | None = None) -> Reminder:
    """An officer sends the person's link again (same link), audited."""
    access.require(actor, "selfreport.change", enrolment.region_path)
    if not enrolment.active:
        raise ServiceError.field("enrolment", _("the enrolment has ended: there is no link to send"), code="ended")
    if not enrolment.person.phone:
        raise ServiceError.field("phone", _("the person has no phone number to send the link to"))
    now = now or clock.now()
    with transaction.atomic():
        reminder = _send(enrolment, day=clock.day_of(now), round_=0, now=now, by=actor, actor=actor)
        audit.record(actor, "selfreport.link_resend", enrolment)
    return reminder
