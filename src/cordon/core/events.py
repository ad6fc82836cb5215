"""How a lower app starts work in, or asks something of, a higher one: the one mechanism.

Dependencies only point down (docs/ARCHITECTURE.md): `cases` may not import `contacts`, `screening` may
not import `zones`. When a lower app needs a higher one:

- **Event** - something happened and others may act on it (a case was confirmed, so tracing starts). The
  lower app declares it in its own `events.py`; higher apps subscribe in their `receivers.py`, which
  their AppConfig.ready() imports. Handlers run synchronously, in the emitter's transaction, in the
  order they subscribed; an exception propagates (nothing is swallowed).
- **Question** - a lower app needs one answer only a higher app can give (the zone risk level of a
  region, for screening's pool sizes). Exactly one app answers it; asking a question nobody answers
  raises, and so does a second answerer.

Every Event and Question is listed in `DECLARED`, so a test can check that each has its subscribers or
its answerer once all apps are ready: a missing handler fails the suite, not a figure on a commander's
screen.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

DECLARED: dict[str, "Event | Question"] = {}


def _declare(item):
    if item.name in DECLARED:
        raise ImproperlyConfigured(f"{item.name} is declared twice")
    DECLARED[item.name] = item
    return item


class Event:
    """Something that happened in a lower app; higher apps subscribe."""

    def __init__(self, name: str, doc: str, *, required: bool = True):
        self.name, self.doc, self.required = name, doc, required
        self.handlers: list[Callable[..., Any]] = []
        _declare(self)

    def subscribe(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: run `fn(**payload)` whenever the event is emitted. Subscribing twice is a no-op."""
        if fn not in self.handlers:
            self.handlers.append(fn)
        return fn

    def emit(self, **payload) -> list[Any]:
        """Run every handler with the payload and return their results, in subscription order."""
        if self.required and not self.handlers:
            raise ImproperlyConfigured(f"event {self.name} has no subscriber: is its app installed and ready?")
        return [fn(**payload) for fn in self.handlers]

    def __repr__(self):
        return f"Event({self.name!r}, {len(self.handlers)} handlers)"


class Question:
    """A question a lower app asks; exactly one higher app answers."""

    def __init__(self, name: str, doc: str):
        self.name, self.doc = name, doc
        self.answerer: Callable[..., Any] | None = None
        _declare(self)

    def answer(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: `fn(**kwargs)` answers the question. A second, different answerer is an error."""
        if self.answerer is not None and self.answerer is not fn:
            raise ImproperlyConfigured(f"question {self.name} already answered by {self.answerer.__module__}")
        self.answerer = fn
        return fn

    def ask(self, **kwargs):
        if self.answerer is None:
            raise ImproperlyConfigured(f"question {self.name} has no answer: is its app installed and ready?")
        return self.answerer(**kwargs)

    def __repr__(self):
        return f"Question({self.name!r}, answered={self.answerer is not None})"


def unanswered() -> list[str]:
    """Declared events without a subscriber (when required) and questions without an answer."""
    out = []
    for name, item in sorted(DECLARED.items()):
        if isinstance(item, Question) and item.answerer is None:
            out.append(name)
        elif isinstance(item, Event) and item.required and not item.handlers:
            out.append(name)
    return out
