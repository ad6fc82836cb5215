import datetime as dt
from types import SimpleNamespace
from urllib.parse import urlencode

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT

from cordon.core import clock
from cordon.core.testing import SYSTEM, Route, ScopedEndpoint

FORM = "application/x-www-form-urlencoded"


def _user(name="commander"):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def _task(city):
    from cordon.command import services

    return services.task_create(actor=_user(), title="核查", kind="manual", region_path=city.a_grid.path,
                                deadline=clock.now() + dt.timedelta(hours=4))


def _evidence(city):
    from cordon.command import services

    item = _item(city)
    services.evidence_add(actor=_user(), item=item, upload=_jpeg(), stage="finding")
    return item.evidence.get()


def _jpeg():
    return SimpleUploadedFile("door.jpg", b"\xff\xd8\xff jpeg", content_type="image/jpeg")


def _item(city):
    from cordon.command import services

    commander = _user()
    insp = services.inspection_record(actor=commander, region_path=city.a_grid.path, place="甲一小区",
                                      findings=[{"title": "未测温", "owner_id": commander.pk}])
    return insp.items.get()


def _rectified(city):
    from cordon.command import services

    # found by district A's officer, owned by the grid worker, rectified by the platform with a photo: the officer
    # (the issuing inspector's unit) and the commander (a unit above it) may verify and close it
    officer = _user("officer_a")
    item = services.inspection_record(actor=officer, region_path=city.a_grid.path, place="甲一小区",
                                      findings=[{"title": "未测温", "owner_id": _user("field_a").pk}]).items.get()
    services.evidence_add(actor=SYSTEM, item=item, upload=_jpeg(), stage="rectification")
    return services.ledger_rectify(actor=SYSTEM, item=item, rectification="已整改")


def _match(city):
    from cordon.command import services

    commander = _user()
    today = clock.today()
    services.dispatch_post(actor=commander, side="request", resource="tracers", quantity=3, region_path=city.b.path, start=today, end=today)
    services.dispatch_post(actor=commander, side="offer", resource="tracers", quantity=3, region_path=city.a.path, start=today, end=today)
    return services.dispatch_suggest(actor=commander)[0]


def _approved(city):
    from cordon.command import services

    return services.dispatch_decide(actor=_user(), match=_match(city), approve=True)


def _loan_id(c):
    """An approved loan from district A to B; the matrix also asks for the URL's shape only (no database): then `c` is a stand-in."""
    return _approved(c).pk if isinstance(c, SimpleNamespace) else c


def _lendable(m):
    """A new person holding a post in the lending district of loan `m`."""
    from django.contrib.auth import get_user_model

    from cordon.accounts.models import Post
    from cordon.regions.models import Region

    user = get_user_model().objects.create_user(username=f"lent{get_user_model().objects.count()}", password="pw-for-tests-1")
    Post.objects.create(user=user, role="tracer", region=Region.objects.get(path=m.region_path))
    return user


def _rooms(city):
    from cordon.command import services

    commander = _user()
    today = clock.today()
    services.dispatch_post(actor=commander, side="request", resource="rooms", quantity=5, region_path=city.b.path, start=today, end=today)
    services.dispatch_post(actor=commander, side="offer", resource="rooms", quantity=5, region_path=city.a.path, start=today, end=today)
    return services.dispatch_decide(actor=commander, match=services.dispatch_suggest(actor=commander)[0], approve=True)


def _lent(city):
    """A person of district A on a loan to district B, under way."""
    from cordon.command import services

    m = _approved(city)
    member = services.dispatch_lend_person(actor=SYSTEM, match=m, user_id=_lendable(m).pk, post="乙一采样点", post_path=city.b_grid.path)
    services.dispatch_advance(actor=SYSTEM, match=m)
    return member


def _resp(city):
    from cordon.command import services

    commander = _user()
    return services.responsibility_assign(actor=commander, object_type="region", region_path=city.a_grid.path, label="网格",
                                          responsible_id=commander.pk)


def _worker(city):
    """A person holding a post in district A (whose duties are asked for)."""
    from django.contrib.auth import get_user_model

    from cordon.accounts.models import Post

    user = get_user_model().objects.create_user(username=f"worker{get_user_model().objects.count()}", password="pw-for-tests-1")
    Post.objects.create(user=user, role="community_worker", region=city.a_community)
    return user


def _deadline():
    return (clock.now() + dt.timedelta(hours=6)).isoformat()


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
    ScopedEndpoint("command.api.duties", make=_worker, url=lambda u: f"/api/v1/command/users/{u.pk}/duties"),
    ScopedEndpoint("command.web.duties", make=_worker, url=lambda u: f"/command/people/{u.pk}/", api=False),
    ScopedEndpoint("command.api.take_out", make=_worker, url=lambda u: f"/api/v1/command/users/{u.pk}/take-out", method="post",
                   write=True, payload=lambda u: {"reason": "contact"}),
    ScopedEndpoint("command.web.take_out", make=_worker, url=lambda u: f"/command/people/{u.pk}/", method="post", write=True,
                   api=False, ok_status=(302,), content_type=FORM, payload=lambda u: "reason=sealed_zone"),
    ScopedEndpoint("command.api.responsible", make=lambda c: c.a_grid,
                   url=lambda r: f"/api/v1/command/responsible?object_type=region&region_path={r.path}"),
    ScopedEndpoint("command.api.on_duty.region", make=lambda c: c.a_street, url=lambda r: f"/api/v1/command/on-duty?region={r.path}"),
    ScopedEndpoint("command.web.on_duty.region", make=lambda c: c.a_street, url=lambda r: f"/command/on-duty/?region={r.path}",
                   api=False),
    ScopedEndpoint("command.api.shift.add", make=lambda c: c.a_street, url=lambda r: "/api/v1/command/shifts", method="post",
                   write=True, payload=lambda r: {"region_path": r.path, "role": "street_officer", "user_id": _user("officer_a").pk,
                                                  "start": clock.now().isoformat(), "end": _deadline()}),
    ScopedEndpoint("command.web.shift.add", make=lambda c: c.a_street, url=lambda r: "/command/on-duty/shifts/", method="post",
                   write=True, api=False, ok_status=(302,), content_type=FORM,
                   payload=lambda r: urlencode({"region_path": r.path, "role": "street_officer", "user": _user("officer_a").pk,
                                                "start": clock.local(clock.now()).strftime("%Y-%m-%dT%H:%M"),
                                                "end": clock.local(clock.now() + dt.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")})),
    ScopedEndpoint("command.api.task.create", make=lambda c: c.a_grid, url=lambda r: "/api/v1/command/tasks", method="post", write=True,
                   payload=lambda r: {"title": "入户核查", "region_path": r.path, "deadline": _deadline()}),
    ScopedEndpoint("command.api.task.escalate", make=_task, url=lambda t: f"/api/v1/command/tasks/{t.pk}/escalate", method="post",
                   write=True),
    ScopedEndpoint("command.api.task.reassign", make=_task, url=lambda t: f"/api/v1/command/tasks/{t.pk}/reassign", method="post",
                   write=True, payload=lambda t: {"owner_id": _user("officer_a").pk}),
    ScopedEndpoint("command.web.task.action", make=_task, url=lambda t: f"/command/tasks/{t.pk}/close/", method="post", write=True,
                   api=False, ok_status=(302,), content_type=FORM, payload=lambda t: {"result": "done"}),
    ScopedEndpoint("command.api.ledger.evidence", make=_item, url=lambda i: f"/api/v1/command/ledger/{i.pk}/evidence", method="post",
                   write=True, content_type=MULTIPART_CONTENT, payload=lambda i: {"file": _jpeg(), "stage": "finding"}),
    ScopedEndpoint("command.api.ledger.flag", make=_item, url=lambda i: f"/api/v1/command/ledger/{i.pk}/flag", method="post",
                   write=True, payload=lambda i: {"public": True}),
    ScopedEndpoint("command.api.ledger.reinspect", make=_rectified, url=lambda i: f"/api/v1/command/ledger/{i.pk}/reinspect",
                   method="post", write=True, payload=lambda i: {"passed": True, "note": "复查合格"}),
    ScopedEndpoint("command.web.ledger.action", make=_item, url=lambda i: f"/command/ledger/{i.pk}/rectify/", method="post",
                   write=True, api=False, ok_status=(302,), content_type=FORM, payload=lambda i: {"rectification": "已整改"}),
    ScopedEndpoint("command.api.inspection.record", make=lambda c: c.a_grid, url=lambda r: "/api/v1/command/inspections", method="post",
                   write=True, payload=lambda r: {"region_path": r.path, "place": "甲一小区"}),
    ScopedEndpoint("command.api.responsibility.assign", make=lambda c: c.a_grid, url=lambda r: "/api/v1/command/responsibilities",
                   method="post", write=True,
                   payload=lambda r: {"object_type": "region", "region_path": r.path, "label": "网格", "responsible_id": _user("officer_a").pk}),
    ScopedEndpoint("command.api.dispatch.post", make=lambda c: c.a, url=lambda r: "/api/v1/command/dispatch/posts", method="post",
                   write=True, payload=lambda r: {"side": "offer", "resource": "tracers", "quantity": 2, "region_path": r.path,
                                                  "start": str(clock.today()), "end": str(clock.today())}),
    ScopedEndpoint("command.api.dispatch.advance", make=_approved, url=lambda m: f"/api/v1/command/dispatch/matches/{m.pk}/advance",
                   method="post", write=True),
    ScopedEndpoint("command.web.dispatch.action", make=_approved, url=lambda m: f"/command/dispatch/{m.pk}/advance/", method="post",
                   write=True, api=False, ok_status=(302,), content_type=FORM),
    ScopedEndpoint("command.api.dispatch.lend", make=_approved, url=lambda m: f"/api/v1/command/dispatch/matches/{m.pk}/people",
                   method="post", write=True, payload=lambda m: {"user_id": _lendable(m).pk, "post": "乙一流调组"}),
    ScopedEndpoint("command.api.dispatch.items", make=_rooms, url=lambda m: f"/api/v1/command/dispatch/matches/{m.pk}/items",
                   method="post", write=True, payload=lambda m: {"item": "某酒店隔离房间", "quantity": 2, "unit": "间"}),
    ScopedEndpoint("command.api.dispatch.return", make=_lent, url=lambda p: f"/api/v1/command/dispatch/people/{p.pk}/return",
                   method="post", write=True),
    ScopedEndpoint("command.web.dispatch.return", make=_lent, url=lambda p: f"/command/dispatch/members/{p.pk}/return/",
                   method="post", write=True, api=False, ok_status=(302,), content_type=FORM),
]


def _period():
    today = clock.today()
    return f"start={today - dt.timedelta(days=7)}&end={today}"


ROUTES = [
    Route("command.api.tasks", "/api/v1/command/tasks"),
    Route("command.api.tasks.stats", "/api/v1/command/tasks/stats"),
    Route("command.api.responsibilities", "/api/v1/command/responsibilities"),
    Route("command.api.inspections", "/api/v1/command/inspections"),
    Route("command.api.ledger.list", "/api/v1/command/ledger"),
    Route("command.api.accountability", lambda c: f"/api/v1/command/accountability?{_period()}"),
    Route("command.api.dispatch.posts", "/api/v1/command/dispatch/posts"),
    Route("command.api.dispatch.matches", "/api/v1/command/dispatch/matches"),
    # suggesting loans is a write of the command desk: district officers and HQ, not a viewer or a grid worker
    Route("command.api.dispatch.suggest", "/api/v1/command/dispatch/suggest", method="post", kind="create",
          expect={"commander": 201, "officer_a": 201, "officer_b": 201}),
    Route("command.web.tasks", "/command/tasks/", api=False),
    Route("command.api.my_work", "/api/v1/command/my-work"),
    Route("command.web.my_work", "/command/my-work/", api=False),
    Route("command.api.on_duty", "/api/v1/command/on-duty"),
    Route("command.web.on_duty", "/command/on-duty/", api=False),
    Route("command.web.handovers", "/command/handovers/", api=False),
    Route("command.web.task.new", "/command/tasks/new/", kind="create", api=False, expect={"commander": 200, "officer_a": 200, "officer_b": 200}),
    Route("command.web.tasks.stats", "/command/tasks/stats/", api=False),
    Route("command.web.responsibilities", "/command/responsibilities/", api=False),
    Route("command.web.ledger", "/command/ledger/", api=False),
    Route("command.web.inspection.new", "/command/ledger/inspect/", kind="create", api=False,
          expect={"commander": 200, "officer_a": 200, "officer_b": 200}),
    Route("command.web.accountability", "/command/ledger/accountability/", api=False),
    Route("command.web.dispatch", "/command/dispatch/", api=False),
    # a loan is read by its lender (district A) and its borrower (district B) alike; a grid worker sees no district's loans
    Route("command.api.dispatch.loan", lambda c: f"/api/v1/command/dispatch/matches/{_loan_id(c)}", expect={"field_a": 404}),
    Route("command.web.dispatch.loan", lambda c: f"/command/dispatch/loans/{_loan_id(c)}/", api=False, expect={"field_a": 404}),
    Route("command.api.dispatch.staff", "/api/v1/command/dispatch/staff"),
    Route("command.web.dispatch.staff", "/command/dispatch/staff/", api=False),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []
