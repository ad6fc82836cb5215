"""Outbox API: the messages in your area (masked recipients, filters, detail with attempts, retry, cancel), the
channels' settings (outbox.admin: list, create, change, test message) and a send run."""

import datetime as dt

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cordon.core.apikit import Id, actor
from cordon.core.pagination import MappedRows, Pagination
from cordon.outbox import selectors, services
from cordon.outbox.enums import Backend, ChannelCode, MessageFormat

router = Router(tags=["outbox"])


class OutboxMessageOut(Schema):
    id: int
    kind: str
    channel: str
    recipient: str = Field(description="Masked (138****0000) unless unmasked on the detail")
    subject: str
    language: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str
    provider_id: str
    region_path: str
    related_type: str
    related_id: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


class OutboxAttemptOut(Schema):
    number: int
    at: dt.datetime
    finished_at: dt.datetime | None
    outcome: str
    error: str
    response: str


class OutboxMessageDetailOut(OutboxMessageOut):
    body: str
    attempt_log: list[OutboxAttemptOut]


class OutboxChannelOut(Schema):
    id: int
    code: str
    name: str
    backend: str
    url: str = Field(description="Query values (a webhook's key) hidden")
    secret: str = Field(description="Never shown back: at most its last 4 characters")
    has_secret: bool
    sender: str
    message_format: str
    rate_per_minute: int
    max_attempts: int
    backoff_seconds: int
    enabled: bool
    updated_at: dt.datetime | None


class OutboxChannelIn(Schema):
    name: str
    backend: Backend
    url: str = ""
    secret: str = Field("", description="Blank keeps the stored secret")
    sender: str = ""
    message_format: MessageFormat = MessageFormat.TEXT
    rate_per_minute: int = Field(60, ge=1, le=6000)
    max_attempts: int = Field(5, ge=1, le=20)
    backoff_seconds: int = Field(60, ge=1, le=86400)
    enabled: bool = True


class OutboxTestIn(Schema):
    to: str = Field(description="A mobile (sms), an e-mail address, or \"all\" / mobiles to mention (robots)")
    language: str = "zh-hans"


class OutboxSendOut(Schema):
    sent: int
    failed: int = Field(description="Failed this run, queued again with backoff")
    dead: int = Field(description="Gave up (max attempts, or a final refusal)")
    reclaimed: int = Field(description="Claims left by a sender that stopped, queued again")
    waiting: int = Field(description="Due on a channel that is not configured or disabled")
    rate_limited: int = Field(description="Due but over the channel's rate per minute: sent next run")


def _row(m, recipient: str | None = None) -> dict:
    return {**{f: getattr(m, f) for f in OutboxMessageOut.model_fields if f != "recipient"},
            "recipient": recipient if recipient is not None else m.recipient_masked}


@router.get("/messages", response=list[OutboxMessageOut])
@paginate(Pagination)
def list_messages(request, status: str | None = None, channel: str | None = None, kind: str | None = None, q: str | None = None):
    """Messages in your area, newest first; q searches the masked recipient (e.g. its last 4 digits) and subject."""
    rows = selectors.message_list(actor=actor(request), filters={"status": status, "channel": channel, "kind": kind, "q": q})
    return MappedRows(rows, _row)


@router.get("/messages/{int:pk}", response=OutboxMessageDetailOut)
def get_message(request, pk: Id, unmask: bool = False):
    """One message with its text and every try; `unmask=true` shows the recipient in full (outbox.unmask, audited)."""
    who = actor(request)
    m = selectors.message_get(actor=who, pk=pk)
    return {**_row(m, selectors.recipient_of(actor=who, message=m, unmask=unmask)), "body": m.body,
            "attempt_log": list(selectors.attempts_of(actor=who, message=m))}


@router.post("/messages/{int:pk}/retry", response=OutboxMessageOut)
def retry(request, pk: Id):
    """Queue a failed, dead or cancelled message again now."""
    m = selectors.message_get(actor=actor(request), pk=pk, action="change")
    return _row(services.message_retry(actor=actor(request), message=m))


@router.post("/messages/{int:pk}/cancel", response=OutboxMessageOut)
def cancel(request, pk: Id):
    """Cancel a message that has not gone out."""
    m = selectors.message_get(actor=actor(request), pk=pk, action="change")
    return _row(services.message_cancel(actor=actor(request), message=m))


@router.post("/send", response=OutboxSendOut)
def send_now(request):
    """Deliver the due messages now (the job does this every minute); outbox.admin."""
    selectors.require_admin(actor(request))
    return services.send_due()


@router.get("/channels", response=list[OutboxChannelOut])
def list_channels(request):
    """The configured channels' settings (outbox.admin); secrets and webhook keys hidden."""
    return [selectors.channel_public(c) for c in selectors.channel_list(actor=actor(request))]


@router.put("/channels/{code}", response={200: OutboxChannelOut, 201: OutboxChannelOut})
def put_channel(request, code: ChannelCode, payload: OutboxChannelIn):
    """Configure the channel `code` (sms, wecom, dingtalk, email, log): 201 when new, 200 when changed. A blank
    secret, or the masked URL sent back as it was shown, keeps the stored one."""
    who = actor(request)
    channel = selectors.channel_get(actor=who, code=code)
    saved = services.channel_save(actor=who, channel=channel, code=code, **payload.model_dump())
    return Status(200 if channel is not None else 201, selectors.channel_public(saved))


@router.post("/channels/{code}/test", response={201: OutboxMessageOut})
def test_channel(request, code: ChannelCode, payload: OutboxTestIn):
    """Queue a test message on the channel (sent by the next run, or POST /send)."""
    selectors.channel_get(actor=actor(request), code=code)
    m = services.channel_test(actor=actor(request), code=code, to=payload.to, language=payload.language)
    return Status(201, _row(m))
