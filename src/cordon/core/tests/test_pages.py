"""core.pages.record_post: a record page's POST fetches the record for changing, runs the action the form names and
goes back to the page (or lets the view render it again when refused)."""

from types import SimpleNamespace

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from cordon.core.forms import REFUSED
from cordon.core.pages import record_post

RECORD = SimpleNamespace(pk=7)


def _post(data: dict):
    return RequestFactory().post("/outbox/7/", data)


def _get(asked: list):
    def get(action: str):
        asked.append(action)
        return RECORD
    return get


def test_the_named_action_runs_on_the_record_fetched_for_changing_then_the_page_is_shown_again():
    asked, ran = [], []
    answer = record_post(_post({"action": "cancel"}), _get(asked), {"cancel": ran.append, "retry": lambda r: pytest.fail("not asked")},
                         back="outbox:detail")
    assert asked == ["change"] and ran == [RECORD]
    assert answer.status_code == 302 and answer["Location"] == "/outbox/7/"


def test_a_form_that_names_no_action_runs_the_default_and_an_unknown_one_runs_nothing():
    ran = []
    record_post(_post({}), _get([]), {"cancel": lambda r: ran.append("cancel"), "retry": lambda r: ran.append("retry")},
                back="outbox:detail", default="retry")
    answer = record_post(_post({"action": "explode"}), _get([]), {"cancel": lambda r: ran.append("cancel")}, back="outbox:detail")
    assert ran == ["retry"] and answer.status_code == 302


def test_a_single_action_page_passes_the_action_alone():
    ran = []
    record_post(_post({"action": "suspend"}), _get([]), ran.append, back="outbox:detail")
    assert ran == [RECORD]


def test_a_refused_action_goes_back_or_lets_the_view_render_its_bound_forms():
    assert record_post(_post({"action": "a"}), _get([]), {"a": lambda r: REFUSED}, back="outbox:detail").status_code == 302
    assert record_post(_post({"action": "a"}), _get([]), {"a": lambda r: REFUSED}, back="outbox:detail", render_refused=True) is None
    done = record_post(_post({"action": "a"}), _get([]), {"a": lambda r: None}, back="outbox:detail", render_refused=True)
    assert done.status_code == 302


def test_an_action_may_answer_with_its_own_response():
    own = HttpResponse("elsewhere")
    assert record_post(_post({"action": "a"}), _get([]), {"a": lambda r: own}, back="outbox:detail") is own


def test_a_record_outside_the_area_is_not_found_and_no_action_runs():
    def get(action):
        raise Http404("not found")
    with pytest.raises(Http404):
        record_post(_post({"action": "a"}), get, {"a": lambda r: pytest.fail("ran")}, back="outbox:detail")


def test_an_action_whose_service_checks_its_own_right_fetches_the_record_for_viewing():
    asked = []
    record_post(_post({"action": "whitelist"}), _get(asked), {"whitelist": lambda r: None, "plan": lambda r: None},
                back="outbox:detail", rights={"whitelist": "view"})
    record_post(_post({"action": "plan"}), _get(asked), {"whitelist": lambda r: None, "plan": lambda r: None},
                back="outbox:detail", rights={"whitelist": "view"})
    assert asked == ["view", "change"]


def test_the_page_to_go_back_to_may_be_computed_from_the_record():
    answer = record_post(_post({"action": "a"}), _get([]), {"a": lambda r: None}, back=lambda r: f"/venues/closures/{r.pk}/?status=open")
    assert answer["Location"] == "/venues/closures/7/?status=open"
