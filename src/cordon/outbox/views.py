"""Outbox pages: the messages in your area (filters, masked recipients), one message with its tries (retry, cancel,
unmask), and the channels' settings with a test message (outbox.admin)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.core.forms import REFUSED, perform
from cordon.core.pages import asks_unmask, list_page, record_post
from cordon.outbox import forms, rules, selectors, services
from cordon.outbox.enums import WAITING, ChannelCode, MessageStatus

FORM_FIELDS = ("name", "backend", "url", "sender", "message_format", "rate_per_minute", "max_attempts",
               "backoff_seconds", "enabled")


def _sent_line(r: dict) -> str:
    return _("Sent %(s)d, failed %(f)d (will retry), gave up %(d)d, over the rate limit %(r)d, waiting for a channel %(w)d.") % {
        "s": r["sent"], "f": r["failed"], "d": r["dead"], "r": r["rate_limited"], "w": r["waiting"]}


@login_required
def index(request):
    access.require(request.user, "outbox.view")
    if request.method == "POST":
        selectors.require_admin(request.user)
        perform(request, services.send_due, success=_sent_line)
        return redirect("outbox:index")
    return list_page(request, "outbox/index.html", rows=lambda f: selectors.message_list(actor=request.user, filters=f),
                     context=lambda listed: {
        "statuses": MessageStatus.choices, "channels": ChannelCode.choices,
        "counts": selectors.status_counts(actor=request.user),
        "is_admin": selectors.city_wide(request.user, "outbox.admin"),
    })


@login_required
def detail(request, pk: int):
    if request.method == "POST":
        return record_post(request, lambda action: selectors.message_get(actor=request.user, pk=pk, action=action), {
            "cancel": lambda m: perform(request, lambda: services.message_cancel(actor=request.user, message=m), success=_("Cancelled.")),
            "retry": lambda m: perform(request, lambda: services.message_retry(actor=request.user, message=m), success=_("Queued again.")),
        }, back="outbox:detail", default="retry")
    m = selectors.message_get(actor=request.user, pk=pk)
    return render(request, "outbox/detail.html", {
        "m": m, "recipient": selectors.recipient_of(actor=request.user, message=m, unmask=asks_unmask(request)),
        "attempts": selectors.attempts_of(actor=request.user, message=m),
        "can_unmask": selectors.allowed(request.user, m, "unmask") and not asks_unmask(request),
        "can_change": selectors.allowed(request.user, m, "change"),
        "can_retry": m.status in (MessageStatus.FAILED, MessageStatus.DEAD, MessageStatus.CANCELLED),
        "can_cancel": m.status in WAITING,
    })


@login_required
def channels(request):
    return render(request, "outbox/channels.html", {"channels": selectors.channel_rows(actor=request.user)})


@login_required
def channel(request, code: str):
    c = selectors.channel_get(actor=request.user, code=code)
    initial = {**{f: getattr(c, f) for f in FORM_FIELDS}, "url": rules.masked_url(c.url)} if c else \
        {"name": ChannelCode(code).label, "backend": code if code != "sms" else "sms_http", "enabled": True}
    form = forms.ChannelForm(initial=initial)
    test = forms.TestMessageForm(initial={"language": "zh-hans"})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "test":
            test = forms.TestMessageForm(request.POST)
            done = test.submit(request, lambda to, language: services.channel_test(actor=request.user, code=code, to=to, language=language),
                               success=_("Test message queued; it goes out with the next run."))
            if done is not REFUSED:
                return redirect("outbox:detail", pk=done.pk)
        elif action == "clear_secret" and c is not None:
            perform(request, lambda: services.channel_clear_secret(actor=request.user, channel=c), success=_("Secret removed."))
            return redirect("outbox:channel", code=code)
        else:
            form = forms.ChannelForm(request.POST)
            if form.submit(request, lambda **data: services.channel_save(actor=request.user, channel=c, code=code, **data),
                           success=_("Channel saved.")) is not REFUSED:
                return redirect("outbox:channel", code=code)
    return render(request, "outbox/channel.html", {"c": selectors.channel_public(c) if c else None, "code": code,
                                                   "label": ChannelCode(code).label, "form": form, "test": test})
