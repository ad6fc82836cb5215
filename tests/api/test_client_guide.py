"""The worked example in docs/API.md runs as written against a live server: the guide cannot go stale."""

import pathlib
import re

import pytest

from cordon.core import clock

GUIDE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "API.md"


def example() -> str:
    blocks = re.findall(r"```python example\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1, "docs/API.md has one block marked `python example`"
    return blocks[0]


@pytest.mark.django_db(transaction=True)
def test_the_client_guide_example_runs_as_a_district_officer(live_server, city, cast, capsys):
    from cordon.accounts import services as account_services
    from cordon.people.factories import PersonFactory

    PersonFactory.create_batch(120, grid=city.a_grid)
    PersonFactory.create_batch(5, grid=city.b_grid)
    token = account_services.token_issue(actor=cast.officer_a, user=cast.officer_a, name="guide")
    scope = {"BASE": live_server.url, "TOKEN": token, "DAY": clock.today().isoformat(), "REGION_CODE": city.a.code}
    exec(compile(example(), str(GUIDE), "exec"), scope)
    out = capsys.readouterr().out
    assert "120 residents" in out  # district A's, paged through 100 at a time; district B's stay out of sight
    assert re.search(r"^4\d\d \w+ \[\('items\.0\.count', 1\)\]$", out, flags=re.M), out
