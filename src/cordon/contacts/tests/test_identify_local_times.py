"""The evidence's local times (finding._local_minutes) are those of datetime.isoformat, in zones with offset changes
inside the times formatted and with offsets that are not whole minutes (where a minute's text is not shared)."""

import datetime as dt
import zoneinfo

import numpy as np
import pytest

from cordon.contacts.services.finding import _local_minutes


@pytest.mark.parametrize(("zone", "around"), [
    ("Asia/Shanghai", "2026-12-01T00:00+00:00"),
    ("America/New_York", "2026-03-08T06:00+00:00"),      # clocks forward at 07:00 UTC
    ("America/New_York", "2026-11-01T05:00+00:00"),      # clocks back at 06:00 UTC
    ("Asia/Kolkata", "2026-06-01T00:00+00:00"),          # +05:30
    ("Africa/Monrovia", "1971-06-01T00:00+00:00"),       # -00:44:30 until 1972
])
def test_local_minutes_are_isoformat(zone, around):
    tz = zoneinfo.ZoneInfo(zone)
    base = int(dt.datetime.fromisoformat(around).timestamp())
    rng = np.random.default_rng(5)
    # repeated seconds and minutes (shared texts), and times spread over the two days around the change
    epochs = np.concatenate([base + rng.integers(-86400, 86400, 3000), np.repeat(base + rng.integers(-7200, 7200, 50), 4),
                             base + 3600 * np.arange(-3, 4), base + 3600 * np.arange(-3, 4) - 1])
    expected = [dt.datetime.fromtimestamp(int(t), tz).isoformat(timespec="minutes") for t in epochs]
    assert _local_minutes(epochs, tz) == expected
    assert _local_minutes(np.array([], dtype=np.int64), tz) == []
