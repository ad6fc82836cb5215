import datetime as dt
import io
import itertools

from django.test.client import MULTIPART_CONTENT

from cordon.core.ids import make_id_number
from cordon.core.testing import Route, ScopedEndpoint
from cordon.keyworkers.factories import KeyPassFactory, KeyPersonFactory

_n = itertools.count(1)


def _id_number() -> str:
    return make_id_number("110101", dt.date(1980, 1, 1) + dt.timedelta(days=next(_n)), 7, "M")


def _pass(c):
    return KeyPassFactory(keyperson=KeyPersonFactory(region=c.a_community))


def _person_in(c) -> dict:
    return {"category": "driver", "name": "王师傅", "id_number": _id_number(), "phone": "13800000000",
            "employer": "保供物流", "region_path": c.a_community.path, "plate": "沪A12345", "origin": "320500",
            "destination": c.a_community.path, "cargo": "essential", "closed_loop": True}


def _csv(c) -> dict:
    text = f"类别,姓名,身份证号,手机号,工作单位,所属区域,车牌号,始发地,目的地,货物类别,是否闭环\n司机,李师傅,{_id_number()},13900000000,保供物流,{c.a_community.path},沪B12345,320500,{c.a_community.path},医疗物资,是\n"
    f = io.BytesIO(text.encode("utf-8"))
    f.name = "drivers.csv"
    return {"file": f}


def _edit_in(o) -> dict:
    return {"name": "王师傅", "id_number": o.id_number, "phone": "13800000001", "employer": "保供物流", "region_path": o.region_path,
            "plate": o.plate, "origin": "320500", "destination": o.region_path, "cargo": "essential", "closed_loop": True}


ENDPOINTS = [
    ScopedEndpoint("api keyperson detail", make=lambda c: KeyPersonFactory(region=c.a_community), url=lambda o: f"/api/v1/keyworkers/{o.pk}"),
    ScopedEndpoint("api keyperson update", make=lambda c: KeyPersonFactory(region=c.a_community), url=lambda o: f"/api/v1/keyworkers/{o.pk}",
                   method="put", write=True, payload=_edit_in),
    ScopedEndpoint("api keyperson tests", make=lambda c: KeyPersonFactory(region=c.a_community), url=lambda o: f"/api/v1/keyworkers/{o.pk}/tests"),
    ScopedEndpoint("api keyperson test record", make=lambda c: KeyPersonFactory(region=c.a_community),
                   url=lambda o: f"/api/v1/keyworkers/{o.pk}/tests", method="post", write=True,
                   payload=lambda o: {"sampled_at": o.created_at.isoformat(), "outcome": "negative"}),
    ScopedEndpoint("api keyperson pass issue", make=lambda c: KeyPersonFactory(region=c.a_community),
                   url=lambda o: f"/api/v1/keyworkers/{o.pk}/passes", method="post", write=True, payload=lambda o: {"days": 7}),
    ScopedEndpoint("api pass detail", make=_pass, url=lambda o: f"/api/v1/keyworkers/passes/{o.pk}"),
    ScopedEndpoint("api pass status", make=_pass, url=lambda o: f"/api/v1/keyworkers/passes/{o.pk}/status", method="post", write=True,
                   payload=lambda o: {"action": "suspend"}),
    ScopedEndpoint("web keyperson detail", make=lambda c: KeyPersonFactory(region=c.a_community), url=lambda o: f"/keyworkers/{o.pk}/", api=False),
    ScopedEndpoint("web keyperson edit", make=lambda c: KeyPersonFactory(region=c.a_community), url=lambda o: f"/keyworkers/{o.pk}/edit/",
                   api=False, write=True),
    ScopedEndpoint("web pass detail", make=_pass, url=lambda o: f"/keyworkers/passes/{o.pk}/", api=False),
]

ROUTES = [
    Route("keyworkers.list", "/api/v1/keyworkers/"),
    # officer B names a region of district A: the answer an unknown region gets
    Route("keyworkers.register", "/api/v1/keyworkers/", method="post", kind="create", payload=_person_in, expect={"officer_b": 400}),
    Route("keyworkers.due", "/api/v1/keyworkers/due"),
    Route("keyworkers.passes", "/api/v1/keyworkers/passes"),
    Route("keyworkers.flows", "/api/v1/keyworkers/flows"),
    Route("keyworkers.verify", "/api/v1/keyworkers/verify", method="post", payload=lambda c: {"code": "KW0000"}),
    Route("keyworkers.refresh", "/api/v1/keyworkers/refresh", method="post", kind="create"),
    Route("keyworkers.import", "/api/v1/keyworkers/import", method="post", kind="create", content_type=MULTIPART_CONTENT,
          payload=_csv, expect={"officer_b": 400}),
    Route("keyworkers.page", "/keyworkers/", api=False),
    Route("keyworkers.page.due", "/keyworkers/due/", api=False),
    Route("keyworkers.page.passes", "/keyworkers/passes/", api=False),
    Route("keyworkers.page.passes.print", "/keyworkers/passes/print/", api=False),
    Route("keyworkers.page.flows", "/keyworkers/flows/", api=False),
    Route("keyworkers.page.import", "/keyworkers/import/", api=False, expect={"viewer_a": 403, "field_a": 403}),
    Route("keyworkers.page.import.template", "/keyworkers/import/template/", api=False),
]
