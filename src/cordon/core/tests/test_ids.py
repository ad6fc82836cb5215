"""ID numbers judged as GB 11643-1999 and the GB/T 2260 place-code table say.

Test vectors and their sources:
- 11010519491231002X: the worked example of GB 11643-1999 (公民身份号码), appendix; a standard, quoted as a fact.
- python-stdnum's tests/test_cn_ric.doctest and the doctest of stdnum/cn/ric.py (arthurdejong/python-stdnum,
  LGPL-2.1-or-later; Copyright (C) 2014 Jiangge Zhang, 2025 Arthur de Jong): valid numbers, a place code used
  before and after its renaming (120110 东郊区 -> 东丽区 in 1992), an unknown place code (990426), a district not
  yet created in the birth year (110111 房山区, 1986), a county abolished before it (110201 昌平县), a bad format,
  a 13th month and a bad check digit. The numbers are test numbers, not real persons.
- python-stdnum's older tests/test_cn_ric.py list (same licence): numbers whose check digit is right but whose
  place codes (486268, 354133, 380642) are no GB/T 2260 code; they were accepted before the place check.
The place-code table (with validity years) is python-stdnum's stdnum/cn/loc.dat, compiled from the Chinese
Wikipedia lists of administrative division codes (CC BY-SA 4.0).
"""

import datetime as dt
import io
import json
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from cordon.core import ids

VALID = [
    ("11010519491231002X", dt.date(1949, 12, 31), "F"),
    ("360426199101010071", dt.date(1991, 1, 1), "M"),
    ("44011320141005001X", dt.date(2014, 10, 5), "M"),
    ("412723199010050012", dt.date(1990, 10, 5), "M"),
    ("110102199101010078", dt.date(1991, 1, 1), "M"),
    ("120110198012010073", dt.date(1980, 12, 1), "M"),  # 东郊区, the code's name before 1992
    ("120110199212010072", dt.date(1992, 12, 1), "M"),  # the same code as 东丽区 after 1991
]

INVALID = [
    ("990426199112010074", "place_code"),
    ("486268198802140611", "place_code"),
    ("354133198209290022", "place_code"),
    ("38064219921117061X", "place_code"),
    ("110111198012010078", "place_code_not_in_birth_year"),  # 房山区 created in 1986
    ("110201199312010077", "place_code_not_in_birth_year"),  # 昌平县 under this code until 1982 (then 110221)
    ("T60426199101010078", "format"),
    ("36042619910101007", "format"),
    ("360426199113010079", "birth_date"),
    ("36042619910102009X", "checksum"),
    ("110105194912310021", "checksum"),
]


@pytest.mark.parametrize("number, birth, sex", VALID)
def test_published_valid_numbers_are_accepted_with_their_birth_date_and_sex(number, birth, sex):
    assert ids.check_id_number(number) == (number, birth, sex)


@pytest.mark.parametrize("number, reason", INVALID)
def test_published_invalid_numbers_are_refused_with_the_national_rule_they_break(number, reason):
    with pytest.raises(ids.InvalidIdNumber) as caught:
        ids.check_id_number(number)
    assert caught.value.reason == reason


def test_a_lower_case_x_and_spaces_are_normalised():
    assert ids.check_id_number(" 44011320141005001x ")[0] == "44011320141005001X"
    assert ids.check_id_number("110105 19491231 002x")[0] == "11010519491231002X"


def test_a_code_abolished_before_the_birth_year_is_refused_and_one_in_force_is_accepted():
    # 310102 南市区 was abolished in 2000: valid for a child of 1999, not for one of 2001.
    born_1999 = ids.make_id_number("310102", dt.date(1999, 6, 1), 7, "F")
    assert born_1999.startswith("310102") and ids.check_id_number(born_1999)
    first17 = "310102" + "20010601" + "014"
    with pytest.raises(ids.InvalidIdNumber) as caught:
        ids.check_id_number(first17 + ids.id_check_digit(first17))
    assert caught.value.reason == "place_code_not_in_birth_year"


def test_a_birth_date_after_the_city_today_is_refused_at_half_past_midnight_city_time():
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    first17 = "110105" + "20270101" + "002"
    number = first17 + ids.id_check_digit(first17)
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=shanghai)):  # still 2026-12-31 in UTC
        assert ids.check_id_number(number)[1] == dt.date(2027, 1, 1)
    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 30, tzinfo=shanghai)):
        with pytest.raises(ids.InvalidIdNumber) as caught:
            ids.check_id_number(number)
    assert caught.value.reason == "future_birth_date"


def test_generated_numbers_take_a_place_code_in_force_in_the_birth_year():
    # 310115 浦东新区 exists from 1992: a person born in 1960 gets another Shanghai code in force then.
    assert ids.place_code_for("310115", 2000) == "310115"
    older = ids.place_code_for("310115", 1960)
    assert older.startswith("31") and ids.place_code_in_force(older, 1960)
    # The test city's made-up code 990101 falls back to a real code.
    assert ids.place_code_in_force(ids.place_code_for("990101", 1990), 1990)


def test_the_error_names_the_field_and_row_in_chinese():
    with pytest.raises(ids.InvalidIdNumber) as caught:
        ids.check_id_number("990426199112010074")
    with translation.override("zh-hans"):
        problem = ids.id_number_problem(caught.value, row=7)
    assert problem["field"] == "id_number" and problem["row"] == 7
    assert "地址码 990426" in problem["message"] and "身份证号" in problem["message"]


def test_the_command_prints_one_json_line_per_number():
    out = io.StringIO()
    call_command("ids", "check", "11010519491231002x", "110111198012010078", "abc", "--lang", "en", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(x["id"], x["valid"], x["reason"]) for x in lines] == [
        ("11010519491231002X", True, None),
        ("110111198012010078", False, "place_code_not_in_birth_year"),
        ("ABC", False, "format"),
    ]
    assert lines[0]["birth_date"] == "1949-12-31" and lines[0]["place"] == "北京市 朝阳区"
