"""A service's refusal reaches the user in their language: the API's error answer and the page's message are
rendered in the request's active language (Accept-Language, else the city's default, Chinese)."""

import pytest
from django.utils import translation

from cordon.core.errors import ServiceError
from cordon.gatherings.factories import GatheringFactory

pytestmark = pytest.mark.django_db

SUSPEND_WITHOUT_REASON = {"zh-hans": "请说明暂停举办的理由", "en": "say why the gathering is suspended"}
CANCELLED_TWICE = {"zh-hans": "status：已取消", "en": "status: cancelled already"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_api_refusal_comes_back_in_the_callers_language(city, cast, api_client, language):
    g = GatheringFactory(region=city.a_community)
    answer = api_client(cast.officer_a).post(f"/api/v1/gatherings/{g.pk}/suspend", {"reason": " "},
                                             content_type="application/json", headers={"Accept-Language": language})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["fields"] == [{"field": "reason", "message": SUSPEND_WITHOUT_REASON[language]}]
    assert SUSPEND_WITHOUT_REASON[language] in error["message"]
    assert answer["Content-Language"] == language


def test_an_api_refusal_without_a_language_is_in_chinese(city, cast, api_client):
    g = GatheringFactory(region=city.a_community)
    answer = api_client(cast.officer_a).post(f"/api/v1/gatherings/{g.pk}/suspend", {"reason": ""},
                                             content_type="application/json")
    assert answer.json()["error"]["fields"][0]["message"] == SUSPEND_WITHOUT_REASON["zh-hans"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_page_shows_a_refusal_in_the_users_language(city, cast, api_client, language):
    g = GatheringFactory(region=city.a_community)
    client = api_client(cast.officer_a)
    headers = {"Accept-Language": language}
    assert client.post(f"/gatherings/{g.pk}/", {"action": "cancel"}, headers=headers).status_code == 302
    answer = client.post(f"/gatherings/{g.pk}/", {"action": "cancel"}, headers=headers)
    assert answer.status_code == 200
    assert [str(m) for m in answer.context["messages"]] == [CANCELLED_TWICE[language]]
    assert CANCELLED_TWICE[language] in answer.content.decode()


def test_a_row_numbered_refusal_is_worded_in_the_active_language():
    with translation.override("zh-hans"):
        assert ServiceError.field("phone", "x", row=3).message == "第 3 行，phone：x"
    with translation.override("en"):
        assert ServiceError.field("phone", "x", row=3).message == "row 3, phone: x"
