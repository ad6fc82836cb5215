"""The one mechanism by which a lower app starts work in a higher one (core.events) fails loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cordon.core import events
from cordon.core.registry import app_submodules


def test_every_declared_event_and_question_has_its_handler_once_apps_are_ready():
    declared = [value.name for label, module in app_submodules("events") if label != "core"
                for value in vars(module).values() if isinstance(value, (events.Event, events.Question))]
    assert declared, "no app declares events"
    assert set(declared) <= set(events.DECLARED)
    assert events.unanswered() == []


def test_it_refuses_to_emit_an_event_nobody_subscribed_to():
    ev = events.Event("test.nobody_listens", "a test event")
    try:
        with pytest.raises(ImproperlyConfigured, match="no subscriber"):
            ev.emit(x=1)
        ev.subscribe(lambda x: x * 2)
        assert ev.emit(x=2) == [4]
    finally:
        events.DECLARED.pop(ev.name)


def test_a_question_has_exactly_one_answerer():
    q = events.Question("test.one_answer", "a test question")
    try:
        with pytest.raises(ImproperlyConfigured, match="no answer"):
            q.ask(path="1")

        @q.answer
        def first(path):
            return path + "!"

        assert q.ask(path="1") == "1!"
        with pytest.raises(ImproperlyConfigured, match="already answered"):
            q.answer(lambda path: path)
    finally:
        events.DECLARED.pop(q.name)


def test_a_name_is_declared_once():
    ev = events.Event("test.twice", "once")
    try:
        with pytest.raises(ImproperlyConfigured, match="declared twice"):
            events.Event("test.twice", "again")
    finally:
        events.DECLARED.pop(ev.name)
