"""Pages show words, not codes, and dates in the city's local form: enum labels and health-status reasons are
translated, a word that means two things has a context (a testing site is 采样点, never the quarantine site's
隔离点), and a date-time reads 2027年1月5日 14:30 in Chinese (city time, never UTC)."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from cordon.gatherings.factories import GatheringFactory
from cordon.web.templatetags.labels import colour_label, display, label, reason_label

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.mark.parametrize("language, words", [
    ("zh-hans", ["待整改", "已销号", "严重", "密切接触者", "红码", "混管阳性暂控"]),
    ("en", ["Open", "Closed", "Severe", "Close contact", "Red code", "Held: positive pool"]),
])
def test_codes_are_shown_as_words_in_the_users_language(language, words):
    with translation.override(language):
        shown = [str(label("open", "command.LedgerStatus")), str(label("closed", "command.LedgerStatus")),
                 str(label("severe", "command.Severity")), str(reason_label("close_contact")), str(colour_label("red")),
                 str(reason_label("held_positive_pool"))]
    assert shown == words


def test_an_unknown_code_is_shown_as_it_is():
    assert label("nonsense", "command.LedgerStatus") == "nonsense"
    assert label("open", "nowhere.Nothing") == "open"
    assert reason_label("new_reason") == "new_reason"
    assert display({"kind": "x"}, "kind") == "x"


def test_a_testing_site_is_never_called_a_quarantine_site():
    with translation.override("zh-hans"):
        assert translation.pgettext("testing site", "Site") == "采样点"
        assert translation.pgettext("testing site", "Sites") == "采样点"
        assert translation.pgettext("supply point", "Site") == "点位"
        assert translation.gettext("Quarantine site") == "隔离点"
        assert translation.pgettext("venue", "Open") == "营业"
        assert translation.pgettext("ledger item", "Open") == "待整改"


@pytest.mark.parametrize("language, shown", [("zh-hans", "2027年1月5日 14:30"), ("en", "Jan. 5, 2027, 2:30 p.m.")])
def test_a_date_time_is_shown_in_the_city_time_and_the_users_form(language, shown):
    at = dt.datetime(2027, 1, 5, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai
    with translation.override(language):
        assert Template('{{ at|date:"DATETIME_FORMAT" }}').render(Context({"at": at})) == shown


def test_the_gathering_page_shows_its_dates_in_the_chinese_form(city, cast, api_client):
    g = GatheringFactory(region=city.a_community, starts_at=dt.datetime(2027, 1, 5, 6, 30, tzinfo=UTC),
                         ends_at=dt.datetime(2027, 1, 5, 9, 0, tzinfo=UTC))
    page = api_client(cast.officer_a).get(f"/gatherings/{g.pk}/", headers={"Accept-Language": "zh-hans"})
    html = page.content.decode()
    assert "2027年1月5日 14:30" in html and "2027年1月5日 17:00" in html
    assert "2027-01-05" not in html
