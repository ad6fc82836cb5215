import datetime as dt

from cordon.core import clock
from cordon.core.testing import ScopedEndpoint


def _task(city):

    from cordon.command import services

    return services.task_create(actor=None, title="核查", kind="manual", region_path=city.a_grid.path,
                                deadline=clock.now() + dt.timedelta(hours=4))


def _evidence(city):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cordon.command import services

    item = _item(city)
    services.evidence_add(actor=get_user_model().objects.get(username="commander"), item=item,
                          upload=SimpleUploadedFile("door.jpg", b"\xff\xd8\xff jpeg"), stage="finding")
    return item.evidence.get()


def _item(city):
    from django.contrib.auth import get_user_model

    from cordon.command import services

    commander = get_user_model().objects.get(username="commander")
    insp = services.inspection_record(actor=commander, region_path=city.a_grid.path, place="甲一小区",
                                      findings=[{"title": "未测温", "owner_id": commander.pk}])
    return insp.items.get()


def _match(city):
    from django.contrib.auth import get_user_model

    from cordon.command import services

    commander = get_user_model().objects.get(username="commander")
    today = clock.today()
    services.dispatch_post(actor=commander, side="request", resource="tracers", quantity=3, region_path=city.b.path, start=today, end=today)
    services.dispatch_post(actor=commander, side="offer", resource="tracers", quantity=3, region_path=city.a.path, start=today, end=today)
    return services.dispatch_suggest(actor=commander)[0]


def _report(city):
    from django.contrib.auth import get_user_model

    from cordon.command import services

    commander = get_user_model().objects.get(username="commander")
    return services.report_generate(actor=commander, report_date=clock.today(), region_path=city.a.path)


def _resp(city):
    from django.contrib.auth import get_user_model

    from cordon.command import services

    commander = get_user_model().objects.get(username="commander")
    return services.responsibility_assign(actor=commander, object_type="region", region_path=city.a_grid.path, label="网格",
                                          responsible_id=commander.pk)


ENDPOINTS = [
    ScopedEndpoint("command.api.task", make=_task, url=lambda t: f"/api/v1/command/tasks/{t.pk}"),
    ScopedEndpoint("command.api.task.close", make=_task, url=lambda t: f"/api/v1/command/tasks/{t.pk}/close", method="post", write=True,
                   payload=lambda t: {"result": "done"}),
    ScopedEndpoint("command.web.task", make=_task, url=lambda t: f"/command/tasks/{t.pk}/", api=False),
    ScopedEndpoint("command.api.ledger", make=_item, url=lambda i: f"/api/v1/command/ledger/{i.pk}"),
    ScopedEndpoint("command.api.ledger.rectify", make=_item, url=lambda i: f"/api/v1/command/ledger/{i.pk}/rectify", method="post",
                   write=True, payload=lambda i: {"rectification": "已整改"}),
    ScopedEndpoint("command.web.ledger_item", make=_item, url=lambda i: f"/command/ledger/{i.pk}/", api=False),
    ScopedEndpoint("command.web.ledger_evidence", make=_evidence, url=lambda e: f"/command/ledger/{e.item_id}/evidence/{e.pk}/",
                   api=False),
    ScopedEndpoint("command.api.dispatch.decide", make=_match, url=lambda m: f"/api/v1/command/dispatch/matches/{m.pk}/decide",
                   method="post", write=True, payload=lambda m: {"approve": True}),
    ScopedEndpoint("command.api.report", make=_report, url=lambda r: f"/api/v1/command/reports/{r.pk}"),
    ScopedEndpoint("command.web.report_docx", make=_report, url=lambda r: f"/command/reports/{r.pk}/docx/", api=False),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/command/accountability",
    "GET api/v1/command/dispatch/matches",
    "GET api/v1/command/dispatch/posts",
    "GET api/v1/command/inspections",
    "GET api/v1/command/ledger",
    "GET api/v1/command/reports",
    "GET api/v1/command/reports/<>/docx",
    "GET api/v1/command/responsibilities",
    "GET api/v1/command/snapshot",
    "GET api/v1/command/tasks",
    "GET api/v1/command/tasks/stats",
    "GET api/v1/command/users/<>/duties",
    "POST api/v1/command/dispatch/matches/<>/advance",
    "POST api/v1/command/dispatch/posts",
    "POST api/v1/command/dispatch/suggest",
    "POST api/v1/command/inspections",
    "POST api/v1/command/ledger/<>/evidence",
    "POST api/v1/command/ledger/<>/flag",
    "POST api/v1/command/ledger/<>/reinspect",
    "POST api/v1/command/reports",
    "POST api/v1/command/responsibilities",
    "POST api/v1/command/tasks",
    "POST api/v1/command/tasks/<>/escalate",
    "POST api/v1/command/tasks/<>/reassign",
    "WEB command/",
    "WEB command/dispatch/",
    "WEB command/dispatch/<>/<>/",
    "WEB command/ledger/",
    "WEB command/ledger/<>/<>/",
    "WEB command/ledger/accountability/",
    "WEB command/ledger/inspect/",
    "WEB command/people/<>/",
    "WEB command/refresh/",
    "WEB command/reports/",
    "WEB command/reports/<>/",
    "WEB command/responsibilities/",
    "WEB command/tasks/",
    "WEB command/tasks/<>/<>/",
    "WEB command/tasks/new/",
    "WEB command/tasks/stats/",
]
