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


@pytest.fixture
def declare():
    """Declares a test event or question (declare(events.Event, name, doc)); forgotten again after the test."""
    names = []

    def make(kind, name: str, doc: str):
        value = kind(name, doc)
        names.append(name)
        return value
    yield make
    for name in names:
        events.DECLARED.pop(name, None)


def test_it_refuses_to_emit_an_event_nobody_subscribed_to(declare):
    ev = declare(events.Event, "test.nobody_listens", "a test event")
    with pytest.raises(ImproperlyConfigured, match="no subscriber"):
        ev.emit(x=1)
    ev.subscribe(lambda x: x * 2)
    assert ev.emit(x=2) == [4]


def test_a_question_has_exactly_one_answerer(declare):
    q = declare(events.Question, "test.one_answer", "a test question")
    with pytest.raises(ImproperlyConfigured, match="no answer"):
        q.ask(path="1")

    @q.answer
    def first(path):
        return path + "!"

    assert q.ask(path="1") == "1!"
    with pytest.raises(ImproperlyConfigured, match="already answered"):
        q.answer(lambda path: path)


def test_a_name_is_declared_once(declare):
    declare(events.Event, "test.twice", "once")
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        events.Event("test.twice", "again")
