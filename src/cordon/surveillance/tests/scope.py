import datetime as dt
import itertools

from cordon.core.testing import ScopedEndpoint
from cordon.surveillance.models import Signal

_day = itertools.count()


def _signal(c):
    return Signal.objects.create(stream="fever_clinic", region=c.a, region_path=c.a.path,
                                 date=dt.date(2022, 5, 1) + dt.timedelta(days=next(_day)),
                                 method="EARS-C1", observed=30, upperbound=20)


ENDPOINTS = [
    ScopedEndpoint("api signal triage", make=_signal, url=lambda s: f"/api/v1/surveillance/signals/{s.pk}/triage",
                   method="post", write=True, payload=lambda s: {"action": "dismiss", "note": "data entry error"}),
    ScopedEndpoint("api rt series", make=lambda c: c.a, url=lambda r: f"/api/v1/surveillance/rt?region={r.path}",
                   ok_status=(200,), extra={}),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/surveillance/forecasts",
    "GET api/v1/surveillance/observations",
    "GET api/v1/surveillance/signals",
    "POST api/v1/surveillance/observations/bulk",
    "POST api/v1/surveillance/observations/import",
    "WEB surveillance/",
    "WEB surveillance/refresh/",
    "WEB surveillance/signals/<>/triage/",
    "WEB surveillance/upload/",
]
