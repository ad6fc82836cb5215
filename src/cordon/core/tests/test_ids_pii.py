import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cordon.core import pii
from cordon.core.ids import InvalidIdNumber, id_check_digit, make_id_number, validate_id_number


def test_it_accepts_the_published_gb11643_example():
    # GB 11643-1999 appendix example: 11010519491231002X
    assert validate_id_number("11010519491231002X") == (dt.date(1949, 12, 31), "F")


@pytest.mark.parametrize("bad, reason", [
    ("11010519491231002", "format"),
    ("110105194912310021", "checksum"),
    ("11010519491331002X", "checksum"),
    ("1101051949123100AX", "format"),
])
def test_it_rejects_bad_id_numbers_with_a_reason(bad, reason):
    with pytest.raises(InvalidIdNumber) as caught:
        validate_id_number(bad)
    assert caught.value.reason == reason


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2024, 12, 31)), st.integers(0, 999), st.sampled_from("MF"))
def test_made_id_numbers_always_validate_and_keep_birth_and_sex(birth, seq, sex):
    idn = make_id_number("310101", birth, seq, sex)
    assert validate_id_number(idn) == (birth, sex)
    assert id_check_digit(idn[:17]) == idn[17]


def test_masks_hide_the_middle():
    assert pii.mask_name("张三丰") == "张**"
    assert pii.mask_id_number("11010519491231002X") == "1101**********002X"
    assert pii.mask_phone("13812345678") == "138****5678"
    assert pii.mask_address("幸福小区 3号楼 2单元 501") == "幸福小区 3号楼 2单元 ***"
