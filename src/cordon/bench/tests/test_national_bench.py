"""`cordon bench national`: the national risk-area list imported and matched at a given size, against its baselines."""

import io
import json

import pytest
from django.core.management import call_command

from cordon.zones.models import ExternalArea


@pytest.mark.django_db
def test_bench_national_matches_like_the_full_scan_and_leaves_nothing_behind():
    out = io.StringIO()
    call_command("bench", "national", "--communities", "800", "--places", "60", stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["communities"] == 800 and result["places"] == 50  # one place per county at this size
    assert result["agree_with_baseline"] is True and result["changed_again"] is False
    assert result["ended_by_newer"] == 2 * 50 and result["high_hits"] + result["low_hits"] == 50
    assert not ExternalArea.objects.exists()
