import datetime as dt
import io
import itertools

from django.test.client import MULTIPART_CONTENT

from cordon.core import clock
from cordon.core.testing import Route, ScopedEndpoint
from cordon.surveillance.models import Signal

_day = itertools.count()
FORM = "application/x-www-form-urlencoded"


def _signal(c):
    return Signal.objects.create(stream="fever_clinic", region=c.a, region_path=c.a.path,
                                 date=dt.date(2022, 5, 1) + dt.timedelta(days=next(_day)),
                                 method="EARS-C1", observed=30, upperbound=20)


def _rows(c) -> list[dict]:
    """One day's count in district A (yesterday, so never in the future)."""
    return [{"date": (clock.today() - dt.timedelta(days=1)).isoformat(), "region_code": c.a.code, "stream": "fever_clinic", "count": 3}]


def _csv(c) -> dict:
    r = _rows(c)[0]
    f = io.BytesIO(f"date,region_code,stream,count\n{r['date']},{r['region_code']},{r['stream']},{r['count']}\n".encode())
    f.name = "observations.csv"
    return {"file": f}


# officer B names district A's region: a row error ("outside your area"), nothing stored
_WRITE_A = {"officer_b": 400}

ENDPOINTS = [
    ScopedEndpoint("api signal triage", make=_signal, url=lambda s: f"/api/v1/surveillance/signals/{s.pk}/triage",
                   method="post", write=True, payload=lambda s: {"action": "dismiss", "note": "data entry error"}),
    ScopedEndpoint("api rt series", make=lambda c: c.a, url=lambda r: f"/api/v1/surveillance/rt?region={r.path}",
                   ok_status=(200,), extra={}),
    ScopedEndpoint("surveillance.page.triage", make=_signal, url=lambda s: f"/surveillance/signals/{s.pk}/triage/", method="post",
                   write=True, api=False, payload=lambda s: "action=dismiss&note=data+entry+error", ok_status=(302,), content_type=FORM),
]

ROUTES = [
    Route("surveillance.page.upload.template", "/surveillance/upload/template/", api=False),  # an empty template
    Route("surveillance.forecasts", "/api/v1/surveillance/forecasts"),
    Route("surveillance.forecasts.backtest", "/api/v1/surveillance/forecasts/backtest"),  # city-wide method figures
    Route("surveillance.observations", "/api/v1/surveillance/observations"),
    Route("surveillance.signals", "/api/v1/surveillance/signals"),
    Route("surveillance.observations.bulk", "/api/v1/surveillance/observations/bulk", method="post", kind="create",
          payload=lambda c: {"items": _rows(c)}, expect=_WRITE_A),
    Route("surveillance.observations.import", "/api/v1/surveillance/observations/import", method="post", kind="create",
          payload=_csv, content_type=MULTIPART_CONTENT, expect=_WRITE_A),
    Route("surveillance.page", "/surveillance/", api=False),
    Route("surveillance.page.refresh", "/surveillance/refresh/", method="post", kind="create", api=False, content_type=FORM,
          payload=lambda c: ""),
    Route("surveillance.page.upload", "/surveillance/upload/", kind="create", api=False),
]
