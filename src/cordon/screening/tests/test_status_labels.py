"""Round, tube, retest and result labels are translated (English msgids, Chinese catalogue): a refusal and a page show
them in the user's language, never Chinese text to an English user."""

import re

import pytest
from django.utils import translation

from cordon.core.errors import Conflict
from cordon.screening import services
from cordon.screening.enums import Result, RetestStatus, RoundStatus, SampleResult, TubeStatus
from cordon.screening.factories import make_round

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
CHOICES = (RoundStatus, TubeStatus, RetestStatus, Result, SampleResult)


def test_every_status_label_is_english_in_english_and_chinese_in_chinese():
    for choices in CHOICES:
        for value, _label in choices.choices:
            with translation.override("en"):
                english = str(choices(value).label)
            with translation.override("zh-hans"):
                chinese = str(choices(value).label)
            assert not CJK.search(english), (choices.__name__, value, english)
            assert CJK.search(chinese), (choices.__name__, value, chinese)


def test_a_round_refusal_names_the_statuses_in_the_users_language(city, cast):
    rnd = make_round(region=city.a, published=True)
    services.round_close(actor=cast.commander, rnd=rnd)
    for language, closed in (("en", "Ended"), ("zh-hans", "已结束")):
        with translation.override(language), pytest.raises(Conflict) as e:
            services.round_publish(actor=cast.commander, rnd=rnd)
        assert closed in e.value.message, e.value.message
    assert not CJK.search(e.value.message.split("：")[-1]) or "已结束" in e.value.message


def test_the_round_page_shows_the_status_in_english_for_an_english_user(city, cast, client):
    rnd = make_round(region=city.a, published=True)
    client.force_login(cast.commander)
    page = client.get(f"/screening/rounds/{rnd.pk}/", headers={"accept-language": "en"}).content.decode()
    assert "In progress" in page and "进行中" not in page
    page = client.get(f"/screening/rounds/{rnd.pk}/", headers={"accept-language": "zh-hans"}).content.decode()
    assert "进行中" in page
