"""Delivery backends: one function per Backend, each delivering one rendered Message through one Channel.

`deliver(channel, message)` returns the provider's answer (a `Delivery`) or raises `DeliveryError` (retry=False
when trying again cannot help, e.g. the gateway refused the request as malformed). HTTP uses stdlib urllib.

SMS gateway (Backend.SMS_HTTP), the generic contract cordon speaks:
    POST <channel.url>   Content-Type: application/json
    headers  X-Cordon-Timestamp: <unix seconds>
             X-Cordon-Signature: hex(HMAC-SHA256(<channel.secret>, "<timestamp>\\n" + <raw body>))
             Idempotency-Key: cordon-outbox-<message id>   (the same on every retry: a gateway dedupes on it)
    body     {"id": "cordon-outbox-<id>", "to": "13800000000", "text": "...", "sign": <channel.sender>,
              "kind": "<message kind>", "language": "zh-hans"}
    answer   2xx with JSON {"id" or "message_id": "<gateway's id>"} is accepted; a JSON "code"/"errcode" other
             than 0 or "ok", a 5xx or 429 is retried; another 4xx is final.
WeCom group robot (Backend.WECOM): POST the webhook JSON {"msgtype": "text", "text": {"content", "mentioned_mobile_list"}}
    or {"msgtype": "markdown", "markdown": {"content"}}; success is {"errcode": 0, "errmsg": "ok"}.
DingTalk group robot (Backend.DINGTALK): POST {"msgtype": "text", "text": {"content"}, "at": {"atMobiles", "isAtAll"}}
    or {"msgtype": "markdown", "markdown": {"title", "text"}}; a robot with a secret is signed by appending
    `timestamp` (ms) and `sign` to the URL (rules.dingtalk_signed_url); success is {"errcode": 0}.
E-mail (Backend.EMAIL): django.core.mail with the channel's sender as From (settings.EMAIL_BACKEND delivers).
Log (Backend.LOG): the `cordon.notify` logger, masked.
"""

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import make_msgid

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from cordon.outbox import rules
from cordon.outbox.enums import Backend, MessageFormat

log = logging.getLogger("cordon.notify")
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Delivery:
    provider_id: str = ""
    response: str = ""


class DeliveryError(Exception):
    def __init__(self, message: str, *, retry: bool = True, response: str = ""):
        super().__init__(message)
        self.retry, self.response = retry, response


def _post_json(url: str, payload: dict, headers: dict | None = None, *, body: bytes | None = None) -> tuple[int, str]:
    if not url.lower().startswith(("http://", "https://")):
        raise DeliveryError(_("not an http(s) URL: %(url)s") % {"url": rules.masked_url(url)}, retry=False)
    data = body if body is not None else json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 - scheme checked above
            return answer.status, answer.read(20_000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        text = exc.read(2000).decode("utf-8", "replace")
        raise DeliveryError(_("HTTP %(code)s: %(text)s") % {"code": exc.code, "text": text[:200]}, retry=exc.code >= 500 or exc.code == 429, response=text[:500]) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(_("connection failed: %(reason)s") % {"reason": getattr(exc, "reason", exc)}) from exc


def _json(text: str) -> dict:
    try:
        value = json.loads(text or "{}")
    except ValueError as exc:
        raise DeliveryError(_("answer is not JSON: %(text)s") % {"text": text[:200]}, response=text[:500]) from exc
    if not isinstance(value, dict):
        raise DeliveryError(_("answer is not a JSON object: %(text)s") % {"text": text[:200]}, response=text[:500])
    return value


def _robot_answer(text: str) -> Delivery:
    answer = _json(text)
    if answer.get("errcode", -1) != 0:
        raise DeliveryError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:300], response=text[:500])
    return Delivery(provider_id=str(answer.get("msgid", "") or ""), response=text[:500])


def sms_http(channel, message) -> Delivery:
    key = f"cordon-outbox-{message.pk}"
    body = json.dumps({"id": key, "to": message.recipient, "text": message.body, "sign": channel.sender,
                       "kind": message.kind, "language": message.language}, ensure_ascii=False).encode()
    stamp = int(time.time())
    headers = {"X-Cordon-Timestamp": str(stamp), "Idempotency-Key": key,
               "X-Cordon-Signature": rules.gateway_signature(channel.secret, timestamp=stamp, body=body)}
    _status, text = _post_json(channel.url, {}, headers, body=body)
    answer = _json(text)
    code = answer.get("code", answer.get("errcode", 0))
    if code not in (0, "0", "ok", "OK", None):
        raise DeliveryError(f"gateway code {code}: {answer.get('message', answer.get('errmsg', ''))}"[:300], response=text[:500])
    return Delivery(provider_id=str(answer.get("id", answer.get("message_id", "")) or ""), response=text[:500])


def wecom(channel, message) -> Delivery:
    at_all, mobiles = rules.mentions(message.recipient) or (True, [])
    if channel.message_format == MessageFormat.MARKDOWN:
        payload = {"msgtype": "markdown", "markdown": {"content": message.body}}
    else:
        payload = {"msgtype": "text", "text": {"content": message.body,
                                               "mentioned_mobile_list": mobiles + (["@all"] if at_all else [])}}
    _status, text = _post_json(channel.url, payload)
    return _robot_answer(text)


def dingtalk(channel, message) -> Delivery:
    at_all, mobiles = rules.mentions(message.recipient) or (True, [])
    if channel.message_format == MessageFormat.MARKDOWN:
        payload = {"msgtype": "markdown", "markdown": {"title": message.subject or message.kind, "text": message.body}}
    else:
        payload = {"msgtype": "text", "text": {"content": message.body}}
    payload["at"] = {"atMobiles": mobiles, "isAtAll": at_all}
    url = channel.url
    if channel.secret:
        url = rules.dingtalk_signed_url(url, secret=channel.secret, timestamp_ms=int(time.time() * 1000))
    _status, text = _post_json(url, payload)
    return _robot_answer(text)


def email(channel, message) -> Delivery:
    msgid = make_msgid(domain="cordon.outbox")
    mail = EmailMessage(subject=message.subject or message.kind, body=message.body, from_email=channel.sender or None,
                        to=[message.recipient], headers={"Message-ID": msgid})
    try:
        mail.send(fail_silently=False)
    except OSError as exc:
        raise DeliveryError(_("mail server: %(error)s") % {"error": exc}) from exc
    return Delivery(provider_id=msgid, response="accepted by the mail backend")


def log_only(channel, message) -> Delivery:
    log.info("notify %s %s: %s", message.kind, message.recipient_masked, message.body)
    return Delivery(provider_id=f"log-{message.pk}", response="logged")


BACKENDS = {Backend.SMS_HTTP: sms_http, Backend.WECOM: wecom, Backend.DINGTALK: dingtalk, Backend.EMAIL: email, Backend.LOG: log_only}


def deliver(channel, message) -> Delivery:
    """Deliver one message through its channel's backend (DeliveryError when it did not arrive)."""
    return BACKENDS[channel.backend](channel, message)
