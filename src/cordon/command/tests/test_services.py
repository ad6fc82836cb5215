import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from cordon.accounts.models import Post
from cordon.command import selectors, services
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.reports import metrics

pytestmark = pytest.mark.django_db


def _street_officer(city, name="street_a"):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=name, password="pw-for-tests-1", first_name="街道王")
    Post.objects.create(user=user, role="street_officer", region=city.a_street)
    return user


def test_an_overdue_task_moves_up_to_the_superior_post_and_again_later(city, cast):
    street = _street_officer(city)
    now = clock.now()
    task = services.task_create(actor=SYSTEM, title="门磁未装", kind="manual", region_path=city.a_grid.path,
                                deadline=now - dt.timedelta(hours=1), owner=street)
    out = services.tasks_escalate_overdue(now=now)
    task.refresh_from_db()
    assert out["escalated"] == 1 and task.owner == cast.officer_a and task.escalation_level == 1
    assert services.tasks_escalate_overdue(now=now + dt.timedelta(hours=1))["escalated"] == 0
    services.tasks_escalate_overdue(now=now + dt.timedelta(hours=5))
    task.refresh_from_db()
    assert task.owner == cast.commander and task.escalation_level == 2
    assert AuditEntry.objects.filter(action="task.escalate", object_id=str(task.pk)).count() == 2


def test_the_city_commander_cannot_be_escalated_further(city, cast):
    task = services.task_create(actor=SYSTEM, title="x", kind="manual", region_path=city.a_grid.path,
                                deadline=clock.now() - dt.timedelta(hours=1), owner=cast.commander)
    with pytest.raises(ServiceError) as exc:
        services.task_escalate(actor=cast.commander, task=task)
    assert exc.value.code == "top"


def test_owners_of_tasks_falling_due_are_reminded_once(city, cast):
    from cordon.core.notify import LogNotifier

    LogNotifier.sent.clear()
    services.task_create(actor=SYSTEM, title="复核名单", kind="manual", region_path=city.a_grid.path,
                         deadline=clock.now() + dt.timedelta(minutes=30), owner=cast.officer_a)
    assert services.tasks_escalate_overdue()["reminded"] == 1
    assert services.tasks_escalate_overdue()["reminded"] == 0
    assert any("复核名单" in m["message"] for m in LogNotifier.sent)


def test_task_statistics_count_on_time_late_open_and_overdue_per_owner_and_unit(city, cast):
    now = clock.now()
    t1 = services.task_create(actor=SYSTEM, title="a", kind="manual", region_path=city.a_grid.path, deadline=now + dt.timedelta(hours=1), owner=cast.officer_a)
    services.task_close(actor=cast.officer_a, task=t1)
    t2 = services.task_create(actor=SYSTEM, title="b", kind="manual", region_path=city.a_grid.path, deadline=now - dt.timedelta(hours=1), owner=cast.officer_a)
    services.task_close(actor=cast.officer_a, task=t2)
    services.task_create(actor=SYSTEM, title="c", kind="manual", region_path=city.a_grid.path, deadline=now - dt.timedelta(hours=1), owner=cast.officer_a)
    services.task_create(actor=SYSTEM, title="d", kind="manual", region_path=city.b_grid.path, deadline=now + dt.timedelta(hours=1), owner=cast.officer_b)
    by_owner = {r["key"]: r for r in selectors.task_stats(actor=cast.commander, by="owner")}
    a = by_owner[cast.officer_a.pk]
    assert (a["on_time"], a["late"], a["open"], a["overdue"], a["on_time_pct"]) == (1, 1, 0, 1, 50.0)
    by_unit = {r["key"]: r for r in selectors.task_stats(actor=cast.commander, by="district")}
    assert by_unit[city.a.path]["total"] == 3 and by_unit[city.b.path]["open"] == 1
    assert [r["key"] for r in selectors.task_stats(actor=cast.officer_b, by="district")] == [city.b.path]


def test_a_manual_task_names_its_owner_and_deputy_as_responsible(city, cast):
    task = services.task_create_manual(actor=cast.officer_a, title="核查返乡人员", region_path=city.a_grid.path,
                                       deadline=clock.now() + dt.timedelta(days=1), owner_id=cast.officer_a.pk,
                                       deputy_id=cast.viewer_a.pk, priority=2)
    duties = selectors.duties_of(actor=cast.commander, user_id=cast.viewer_a.pk)
    assert [r.object_id for r in duties["deputy"]] == [str(task.pk)]
    assert selectors.duties_of(actor=cast.commander, user_id=cast.officer_a.pk)["tasks"] == [task]


def test_reassigning_responsibility_keeps_the_history(city, cast):
    r1 = services.responsibility_assign(actor=cast.officer_a, object_type="region", region_path=city.a_grid.path,
                                        label="甲一第1网格", responsible_id=cast.officer_a.pk, deputy_id=cast.viewer_a.pk)
    r2 = services.responsibility_assign(actor=cast.officer_a, object_type="region", region_path=city.a_grid.path,
                                        label="甲一第1网格", responsible_id=cast.viewer_a.pk)
    r1.refresh_from_db()
    assert not r1.active and r1.ended_at and r2.active
    with pytest.raises(ServiceError) as exc:
        services.responsibility_assign(actor=cast.officer_a, object_type="region", region_path=city.a_grid.path,
                                       label="x", responsible_id=cast.viewer_a.pk, deputy_id=cast.viewer_a.pk)
    assert exc.value.fields[0]["field"] == "deputy"


def test_an_inspection_with_a_bad_finding_writes_nothing_and_names_the_row(city, cast):
    with pytest.raises(ServiceError) as exc:
        services.inspection_record(actor=cast.officer_a, region_path=city.a_grid.path, place="某小区", checklist=[{"item": "测温", "ok": False}],
                                   findings=[{"title": "未测温", "owner_id": cast.officer_a.pk},
                                             {"title": "", "owner_id": cast.officer_a.pk},
                                             {"title": "x", "severity": "huge", "owner_id": cast.officer_a.pk}])
    assert [(f["row"], f["field"]) for f in exc.value.fields] == [(2, "title"), (3, "severity")]
    assert selectors.ledger_list(actor=cast.commander).count() == 0


def test_whoever_rectified_an_item_cannot_verify_and_close_it_themselves(city, cast):
    insp = services.inspection_record(actor=cast.commander, region_path=city.a_grid.path, place="甲一小区北门",
                                      findings=[{"title": "未扫码", "owner_id": cast.officer_a.pk}])
    item = insp.items.get()
    services.ledger_rectify(actor=cast.officer_a, item=item, rectification="已安排专人")
    with pytest.raises(ServiceError) as e:
        services.ledger_reinspect(actor=cast.officer_a, item=item, passed=True, upload=SimpleUploadedFile("a.jpg", b"jpeg"))
    assert e.value.code == "own_rectification"
    item.refresh_from_db()
    assert item.status == "rectified" and item.rectified_by == cast.officer_a
    services.ledger_reinspect(actor=cast.commander, item=item, passed=True, upload=SimpleUploadedFile("a.jpg", b"jpeg"))
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_by == cast.commander


def test_the_rectification_owner_cannot_verify_even_when_someone_else_reported_the_rectification(city, cast):
    item = services.inspection_record(actor=cast.commander, region_path=city.a_grid.path, place="甲一小区",
                                      findings=[{"title": "未扫码", "owner_id": cast.officer_a.pk}]).items.get()
    services.ledger_rectify(actor=SYSTEM, item=item, rectification="已整改")
    with pytest.raises(ServiceError) as e:
        services.ledger_reinspect(actor=cast.officer_a, item=item, passed=False, new_deadline=clock.now() + dt.timedelta(hours=3))
    assert e.value.code == "own_rectification"


def test_verification_needs_the_inspector_role_or_the_issuing_inspectors_unit_and_closing_needs_evidence(city, cast):
    street = _street_officer(city)
    worker = _street_officer(city, name="community_a")
    Post.objects.filter(user=worker).update(role="community_worker", region=city.a_community)
    item = services.inspection_record(actor=cast.officer_a, region_path=city.a_grid.path, place="甲一小区",
                                      findings=[{"title": "台账不全", "owner_id": worker.pk}]).items.get()
    services.ledger_rectify(actor=worker, item=item, rectification="已补齐")
    # a street officer over the place, neither inspector nor in the issuing inspector's unit (district A) or above
    with pytest.raises(ServiceError) as e:
        services.ledger_reinspect(actor=street, item=item, passed=True, upload=SimpleUploadedFile("a.jpg", b"jpeg"))
    assert e.value.code == "not_inspector" and e.value.fields[0]["field"] == "actor"
    # an inspector of district A may verify; closing without any rectification or re-inspection evidence is refused
    inspector = _street_officer(city, name="inspector_a")
    Post.objects.filter(user=inspector).update(role="inspector", region=city.a)
    with pytest.raises(ServiceError) as e:
        services.ledger_reinspect(actor=inspector, item=item, passed=True)
    assert e.value.fields[0]["field"] == "file"
    item.refresh_from_db()
    assert item.status == "rectified" and item.evidence.count() == 0
    services.ledger_reinspect(actor=inspector, item=item, passed=True, note="复查合格", upload=SimpleUploadedFile("ok.jpg", b"jpeg"))
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_by == inspector and item.evidence.get().stage == "reinspection"


def test_a_ledger_item_is_closed_only_after_rectification_and_a_passed_reinspection(city, cast, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    insp = services.inspection_record(actor=cast.officer_a, region_path=city.a_grid.path, place="甲一小区东门",
                                      checklist=[{"item": "扫码测温", "ok": False}],
                                      findings=[{"title": "东门无人值守", "severity": "severe", "owner_id": cast.officer_a.pk}])
    item = insp.items.get()
    assert item.public_tracking and (item.deadline - insp.at) == dt.timedelta(hours=24)
    services.evidence_add(actor=cast.officer_a, item=item, upload=SimpleUploadedFile("door.jpg", b"jpeg"), stage="finding")
    with pytest.raises(ServiceError):
        services.ledger_reinspect(actor=cast.commander, item=item, passed=True)
    services.ledger_rectify(actor=cast.officer_a, item=item, rectification="已安排两人24小时值守")
    services.ledger_reinspect(actor=cast.commander, item=item, passed=False, new_deadline=clock.now() + dt.timedelta(hours=12),
                              note="夜间仍无人")
    assert item.status == "open"
    services.ledger_rectify(actor=cast.officer_a, item=item, rectification="增加夜班")
    services.evidence_add(actor=cast.officer_a, item=item, upload=SimpleUploadedFile("night.jpg", b"jpeg"), stage="rectification")
    services.ledger_reinspect(actor=cast.commander, item=item, passed=True, note="复查合格")
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_by == cast.commander and item.evidence.count() == 2
    # the reopened item keeps its whole history, in order
    assert [s.step for s in item.steps.all()] == ["found", "evidence", "rectified", "failed", "rectified", "evidence", "passed"]
    assert item.reopened == 1 and item.steps.get(step="failed").note == "夜间仍无人"
    report = selectors.accountability_report(actor=cast.commander, start=clock.today(), end=clock.today())
    row = next(r for r in report if r["unit"] == city.a.path)
    assert (row["inspections"], row["found"], row["severe"], row["closed_on_time"], row["reopened"]) == (1, 1, 1, 1, 1)


def test_dispatch_suggests_a_cross_district_loan_and_tracks_it_until_it_returns(city, cast):
    today = clock.today()
    req = services.dispatch_post(actor=cast.officer_a, side="request", resource="samplers", quantity=20, region_path=city.a_grid.path,
                                 start=today, end=today + dt.timedelta(days=3))
    off = services.dispatch_post(actor=cast.officer_b, side="offer", resource="samplers", quantity=15, region_path=city.b.path,
                                 start=today, end=today + dt.timedelta(days=5))
    services.dispatch_post(actor=cast.officer_a, side="offer", resource="samplers", quantity=99, region_path=city.a.path,
                           start=today, end=today + dt.timedelta(days=5))
    matches = services.dispatch_suggest(actor=cast.commander)
    assert [(m.request_id, m.offer_id, m.quantity) for m in matches] == [(req.pk, off.pk, 15)]
    m = matches[0]
    with pytest.raises(PermissionDenied):
        services.dispatch_decide(actor=cast.officer_a, match=m, approve=True)
    services.dispatch_decide(actor=cast.officer_b, match=m, approve=True)
    services.dispatch_advance(actor=cast.officer_b, match=m)
    assert metrics.figures(region_path=city.b.path, cut_off=clock.now() + dt.timedelta(minutes=1))["dispatch_on_loan"] == 15
    services.dispatch_advance(actor=cast.officer_b, match=m)
    off.refresh_from_db()
    assert m.status == "returned" and off.remaining == 15
    assert selectors.dispatch_matches(actor=cast.officer_a).count() == 1


def test_rejecting_a_suggestion_releases_the_reserved_quantity(city, cast):
    today = clock.today()
    req = services.dispatch_post(actor=cast.officer_a, side="request", resource="rooms", quantity=5, region_path=city.a.path, start=today, end=today)
    services.dispatch_post(actor=cast.officer_b, side="offer", resource="rooms", quantity=5, region_path=city.b.path, start=today, end=today)
    (m,) = services.dispatch_suggest(actor=cast.commander)
    req.refresh_from_db()
    assert req.remaining == 0 and req.status == "matched"
    services.dispatch_decide(actor=cast.commander, match=m, approve=False, note="自有调剂")
    req.refresh_from_db()
    assert req.remaining == 5 and req.status == "open"


def test_bad_dispatch_input_names_the_field(city, cast):
    with pytest.raises(ServiceError) as exc:
        services.dispatch_post(actor=cast.officer_a, side="request", resource="tanks", quantity=1, region_path=city.a.path,
                               start=clock.today(), end=clock.today())
    assert exc.value.fields[0]["field"] == "resource"


def test_ledger_evidence_is_served_only_through_the_scoped_view(city, cast, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    insp = services.inspection_record(actor=cast.commander, region_path=city.a_grid.path, place="甲一小区",
                                      findings=[{"title": "未测温", "owner_id": cast.commander.pk}])
    item = insp.items.get()
    services.evidence_add(actor=cast.officer_a, item=item, upload=SimpleUploadedFile("door.jpg", b"\xff\xd8\xffjpeg"), stage="finding")
    ev = item.evidence.get()
    url = f"/command/ledger/{item.pk}/evidence/{ev.pk}/"
    client.force_login(cast.officer_a)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg" and b"".join(r.streaming_content) == b"\xff\xd8\xffjpeg"
    page = client.get(f"/command/ledger/{item.pk}/")
    assert url.encode() in page.content and b"/media/" not in page.content
    client.force_login(cast.officer_b)
    assert client.get(url).status_code == 404
    client.force_login(cast.officer_a)
    assert client.get(f"/command/ledger/{item.pk}/evidence/{ev.pk + 999}/").status_code == 404


def test_the_escalation_job_runs_through_the_tasks_framework(city):
    from cordon.command import jobs

    assert jobs.escalate_overdue.enqueue().return_value == {"escalated": 0, "at_top": 0, "reminded": 0}
