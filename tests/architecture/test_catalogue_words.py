"""Django merges every app's catalogue into one: a msgid translated differently in two apps shows one app's word on
every page. Where the meanings differ, the rarer sense carries a context (pgettext / {% trans ... context %}), so each
page shows its own word. These are the words that were wrong on some page before (e.g. the 2FA "Code" 验证码 on
venue and checkpoint forms, "Log" 日志 on the gate's button, "From/To" 开始/结束 in supply transfers)."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, pgettext

PLAIN = {"Code": "编码", "Set up": "设立", "Log": "登记", "Answered": "应门", "Day": "日期"}
CONTEXT = {("one-time password", "Code"): "验证码", ("authenticator", "Set up"): "已绑定", ("outbox channel", "Log"): "日志",
           ("question", "Answered"): "已回答", ("day of stay", "Day"): "第几天", ("transfer", "From"): "调出",
           ("transfer", "To"): "调入"}


@pytest.mark.parametrize("msgid", sorted(PLAIN))
def test_the_shared_word_is_the_common_sense(msgid):
    with translation.override("zh-hans"):
        assert gettext(msgid) == PLAIN[msgid]


@pytest.mark.parametrize("key", sorted(CONTEXT))
def test_the_rarer_sense_has_its_own_context(key):
    with translation.override("zh-hans"):
        assert pgettext(*key) == CONTEXT[key]


def test_supply_transfers_say_out_and_in():
    with translation.override("zh-hans"):
        html = render_to_string("supplies/transfers.html", {"page": [], "statuses": []})
    assert "调出" in html and "调入" in html
