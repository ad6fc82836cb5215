import datetime as dt
import io

import numpy as np
import pytest

from cordon.command.models import Task
from cordon.core import clock
from cordon.core.testing import SYSTEM
from cordon.surveillance import selectors, services
from cordon.surveillance.models import Observation, RtEstimate, Signal

pytestmark = pytest.mark.django_db


def _series(city, cast, values, stream="fever_clinic", region=None):
    region = region or city.a
    end = clock.today()
    items = [{"date": end - dt.timedelta(days=len(values) - 1 - i), "region_code": region.code, "stream": stream, "count": v}
             for i, v in enumerate(values)]
    return services.observations_store(actor=cast.officer_a, items=items)


def test_a_store_is_all_or_nothing_and_names_row_and_field(city, cast):
    items = [{"date": "2022-05-01", "region_code": city.a.code, "stream": "fever_clinic", "count": 3},
             {"date": "2022-05-02", "region_code": city.b.code, "stream": "fever_clinic", "count": 3},
             {"date": "2022-13-01", "region_code": city.a.code, "stream": "nope", "count": -1}]
    from cordon.core.errors import ServiceError

    with pytest.raises(ServiceError) as exc:
        services.observations_store(actor=cast.officer_a, items=items)
    fields = exc.value.fields
    assert {"row": 2, "field": "region_code", "message": "不在您的管辖范围内"} in fields
    assert any(f["row"] == 3 and f["field"] == "date" for f in fields)
    assert any(f["row"] == 3 and f["field"] == "stream" for f in fields)
    assert any(f["row"] == 3 and f["field"] == "count" for f in fields)
    assert Observation.objects.count() == 0


def test_storing_the_same_days_again_updates_instead_of_duplicating(city, cast):
    assert _series(city, cast, [1, 2, 3])["created"] == 3
    report = _series(city, cast, [1, 2, 5])
    assert report == {"rows": 3, "created": 0, "updated": 1}
    assert Observation.objects.count() == 3


def test_a_surge_raises_ears_signals_that_become_tasks(city, cast):
    rng = np.random.default_rng(0)
    values = list(rng.poisson(20, 60).astype(float))
    values[-1] = 90.0
    _series(city, cast, values)
    assert services.detect(actor=SYSTEM, on=clock.today(), regions=[city.a]) >= 1
    signal = Signal.objects.filter(date=clock.today()).first()
    assert signal and signal.observed == 90
    services.signal_triage(actor=cast.officer_a, signal=signal, action="task")
    assert Task.objects.filter(kind="surveillance.signal", source=f"surveillance.signal:{signal.pk}").exists()


def test_dismissing_needs_a_reason(city, cast):
    from cordon.core.errors import ServiceError

    s = Signal.objects.create(stream="ili", region=city.a, region_path=city.a.path, date=dt.date(2022, 1, 3), method="EARS-C1",
                              observed=1, upperbound=0)
    with pytest.raises(ServiceError, match="note"):
        services.signal_triage(actor=cast.officer_a, signal=s, action="dismiss")


def test_rt_and_forecast_come_from_confirmed_cases(city, cast):
    from cordon.cases.models import Case
    from cordon.people.factories import PersonFactory

    today = clock.today()
    counts = [1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 22]
    for d, n in enumerate(counts):
        day = clock.aware(dt.datetime.combine(today - dt.timedelta(days=len(counts) - 1 - d), dt.time(12)))
        for _ in range(n):
            p = PersonFactory(grid=city.a_grid)
            Case.objects.create(person=p, region_path=p.region_path, kind="confirmed", found_by="screening", confirmed_at=day)
    assert services.rt_refresh(actor=SYSTEM, on=today) == 1
    latest = selectors.rt_latest(actor=cast.officer_a)
    assert len(latest) == 1 and latest[0]["mean"] > 1
    assert RtEstimate.objects.filter(region=city.a).count() == 60 - 7
    rooms = selectors.forecast_rooms(district_path=city.a.path)
    assert rooms and len(rooms) == 7 and rooms[-1] > 0
    assert selectors.rt_latest(actor=cast.officer_b) == []


def test_the_api_imports_a_csv_and_the_dashboard_renders(city, cast, api_client):
    csv = f"date,region_code,stream,count\n2022-05-01,{city.a.code},pharmacy,12\n".encode()
    f = io.BytesIO(csv)
    f.name = "c.csv"
    c = api_client(cast.officer_a)
    assert c.post("/api/v1/surveillance/observations/import", {"file": f}).json()["created"] == 1
    assert c.get("/api/v1/surveillance/observations").json()["count"] == 1
    html = c.get("/surveillance/").content.decode()
    assert 'data-source="stream-chart"' in html


def test_the_rt_forecast_drives_the_quarantine_capacity_warning(city, cast):
    from cordon.cases.models import Case
    from cordon.people.factories import PersonFactory
    from cordon.quarantine import selectors as quarantine_selectors

    today = clock.today()
    for d, n in enumerate([1, 2, 3, 4, 6, 8, 10, 13, 16, 20]):
        day = clock.aware(dt.datetime.combine(today - dt.timedelta(days=9 - d), dt.time(12)))
        for _ in range(n):
            p = PersonFactory(grid=city.a_grid)
            Case.objects.create(person=p, region_path=p.region_path, kind="confirmed", found_by="screening", confirmed_at=day)
    services.rt_refresh(actor=SYSTEM, on=today)
    rows = {r["path"]: r for r in quarantine_selectors.capacity_forecast(actor=cast.commander, today=today)}
    a = rows[city.a.path]
    assert a["basis"] == "rt_forecast" and a["warning"] and a["new_rooms"] > 0
