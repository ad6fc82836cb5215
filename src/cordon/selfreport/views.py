"""Self-report pages: the officers' day (per grid/community/street, and the people who reported, did not, or have a
fever), a person's history (masked; unmask audited) with a resend of the link, and the person's own public page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordon.core import access, clock, pii, throttle
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import asks_unmask, list_page, record_post
from cordon.questionnaires import services as questionnaires
from cordon.questionnaires.forms import form_for as questionnaire_form
from cordon.selfreport import exports, forms, selectors, services
from cordon.selfreport.enums import DayState, MeasureKind


@login_required
def index(request):
    access.require(request.user, "selfreport.view")
    form = forms.DayForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {}
    day = chosen.get("day") or clock.today()
    level = chosen.get("by") or "grid"
    rows = selectors.summary(actor=request.user, day=day, level=level)
    return list_page(request, "selfreport/index.html",
                     rows=lambda f: selectors.enrolment_list(actor=request.user, filters=f, day=day),
                     export=lambda fmt, filters: exports.enrolments_export(actor=request.user, fmt=fmt, filters=filters, day=day),
                     context=lambda listed: {
        "form": form, "day": day, "level": level, "rows": rows, "total": selectors.totals(rows),
        "states": DayState.choices, "kinds": MeasureKind.choices,
        "people": _with_cards(listed["page"], request.user),
        "cutoff": services.day_rules(day)["cutoff_hour"],
    })


def _with_cards(page, actor) -> list:
    """The page's enrolments, each with its masked person card (`e.card`)."""
    page.object_list = list(page.object_list)
    for e in page.object_list:
        e.card = selectors.card(e, actor=actor)
    return page.object_list


@login_required
def detail(request, pk: int):
    if request.method == "POST" and (done := record_post(request, lambda action: selectors.enrolment_get(actor=request.user, pk=pk, action=action),
                                                         lambda e: perform(request, lambda: services.link_resend(actor=request.user, enrolment=e),
                                                                           success=_("The link was sent again.")),
                                                         back="selfreport:detail", render_refused=True)):
        return done
    e = selectors.enrolment_get(actor=request.user, pk=pk)
    return render(request, "selfreport/detail.html", {
        "e": e, "person": selectors.card(e, actor=request.user, unmask=asks_unmask(request)),
        "reports": selectors.reports_of(actor=request.user, enrolment=e)[:60],
        "misses": selectors.misses_of(actor=request.user, enrolment=e)[:60],
        "reminders": selectors.reminders_of(actor=request.user, enrolment=e)[:30],
        "can_change": access.can(request.user, "selfreport.change", e.region_path) and e.active,
        "can_unmask": access.can_unmask(request.user, e.person),
        "state": services.link_state(e, clock.today()),
    })


def public(request, token: str):
    """The person's daily report through the personal link: no login, masked identity only, once per city day."""
    if services.link_throttled(address=throttle.client_address(request), token=token):
        return render(request, "selfreport/public.html", {"state": "throttled", "minutes": throttle.lookup_window_minutes()}, status=429)
    e = selectors.enrolment_by_token(token=token)
    if e is None:
        return render(request, "selfreport/public.html", {"state": "invalid"}, status=404)
    today = clock.today()
    state = services.link_state(e, today)
    form = questionnaire_form(questionnaires.current(services.QUESTIONNAIRE), request.POST if request.method == "POST" else None)
    if request.method == "POST" and state == "open":
        report = form.submit(request, lambda **_answers: services.report_submit(token=token, answers=form.answers))
        if report is not REFUSED:
            messages.success(request, _("Thank you: today's report was received."))
            return redirect("selfreport:public", token=token)
    report = selectors.report_on(enrolment=e, day=today)
    return render(request, "selfreport/public.html", {
        "state": state, "e": e, "form": form, "today": today, "report": report,
        "who": {"name": pii.mask_name(e.person.name)[:1], "phone": pii.mask_phone(e.person.phone)},
        "cutoff": services.day_rules(today)["cutoff_hour"], "threshold": services.day_rules(today)["fever_threshold"],
    }, status=410 if state == "ended" else 200)
