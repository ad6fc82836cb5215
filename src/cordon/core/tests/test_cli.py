import io

import pytest
from django.core.management.base import CommandError, OutputWrapper

from cordon.core import cli
from cordon.core.errors import ServiceError


def test_a_refusal_prints_each_field_with_its_row_and_only_when_it_has_one():
    err = io.StringIO()
    refusal = ServiceError("refused", fields=[{"field": "name", "message": "required", "row": 3},
                                             {"field": "data.end_update_time", "message": "older"}])
    with pytest.raises(CommandError, match="refused"), cli.refusal_by_row(OutputWrapper(err)):
        raise refusal
    assert err.getvalue().splitlines() == ["  row 3, name: required", "  data.end_update_time: older"]


def test_input_file_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="missing.json"):
        cli.input_file(str(tmp_path / "missing.json"))
    (tmp_path / "here.json").write_text("{}")
    assert cli.input_file(str(tmp_path / "here.json")).name == "here.json"
