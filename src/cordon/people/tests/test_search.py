"""Search does not leak: a full ID number or phone is an unmasked look-up (issue 17, item 5)."""

import pytest

from cordon.core import clock
from cordon.core.models import AuditEntry
from cordon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

NOBODY = "11010519491231002X"  # a valid ID number nobody in the test city has


def _ids(response) -> list[int]:
    assert response.status_code == 200
    return [row["id"] for row in response.json()["items"]]


def test_a_viewer_searching_a_full_id_number_gets_the_same_empty_answer_whether_or_not_the_person_exists(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid)
    there = api_client(cast.viewer_a).get(f"/api/v1/people/?q={p.id_number}")
    missing = api_client(cast.viewer_a).get(f"/api/v1/people/?q={NOBODY}")
    assert there.status_code == missing.status_code == 200
    assert there.json() == missing.json() and there.json()["count"] == 0


def test_a_viewer_searching_a_full_phone_number_gets_nothing(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid)
    assert _ids(api_client(cast.viewer_a).get(f"/api/v1/people/?q={p.phone}")) == []


def test_an_officer_who_may_unmask_finds_a_person_by_id_number_and_the_search_is_audited_without_the_number(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid)
    PersonFactory(grid=city.a_grid)
    assert _ids(api_client(cast.officer_a).get(f"/api/v1/people/?q={p.id_number.lower()}")) == [p.pk]
    entry = AuditEntry.objects.get(action="people.search.exact", actor_label="officer_a")
    assert entry.changes["kind"] == "id_number"
    assert p.id_number not in str(entry.changes) and p.id_number[6:14] not in str(entry.changes)


def test_an_officer_finds_a_person_by_phone_and_the_search_is_audited(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid)
    assert _ids(api_client(cast.officer_a).get(f"/api/v1/people/?q={p.phone}")) == [p.pk]
    entry = AuditEntry.objects.get(action="people.search.exact")
    assert entry.changes["kind"] == "phone" and p.phone not in str(entry.changes)


def test_exact_search_reaches_only_the_areas_where_the_actor_may_unmask(city, cast, api_client):
    in_grid = PersonFactory(grid=city.a_grid)
    other_grid = PersonFactory(grid=city.a_grid2)
    assert _ids(api_client(cast.field_a).get(f"/api/v1/people/?q={in_grid.id_number}")) == [in_grid.pk]
    assert _ids(api_client(cast.field_a).get(f"/api/v1/people/?q={other_grid.id_number}")) == []
    assert _ids(api_client(cast.officer_b).get(f"/api/v1/people/?q={in_grid.id_number}")) == []


def test_viewers_still_search_by_name_fragments(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid, name="欧阳娜娜")
    PersonFactory(grid=city.a_grid, name="王小明")
    assert _ids(api_client(cast.viewer_a).get("/api/v1/people/?q=欧阳")) == [p.pk]
    assert not AuditEntry.objects.filter(action="people.search.exact").exists()


def test_the_people_page_answers_a_viewers_id_number_search_like_a_miss(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid)
    there = api_client(cast.viewer_a).get(f"/people/?q={p.id_number}")
    missing = api_client(cast.viewer_a).get(f"/people/?q={NOBODY}")
    assert there.status_code == missing.status_code == 200
    assert f"/people/{p.pk}/" not in there.content.decode()
    assert f"/people/{p.pk}/" in api_client(cast.officer_a).get(f"/people/?q={p.id_number}").content.decode()


def test_the_status_look_up_by_id_number_needs_the_unmask_permission(city, cast, api_client):
    p = PersonFactory(grid=city.a_grid)
    assert api_client(cast.viewer_a).get(f"/status/?id_number={p.id_number}").status_code == 200
    found = api_client(cast.officer_a).get(f"/status/?id_number={p.id_number}")
    assert found.status_code == 302 and found["Location"].endswith(f"/status/people/{p.pk}/")


def test_case_and_contact_lists_answer_an_exact_id_number_only_where_the_actor_may_unmask(city, cast, api_client):
    from cordon.cases.models import Case
    from cordon.contacts.models import RiskPerson

    p = PersonFactory(grid=city.a_grid)
    case = Case.objects.create(person=p, region_path=p.region_path, kind="confirmed", found_by="manual", confirmed_at=clock.now())
    risk = RiskPerson.objects.create(person=p, region_path=p.region_path, category="close_contact", last_exposure=clock.now(),
                                     evidence=[{"rule": "named", "setting": "meal"}])
    for url, pk in ((f"/api/v1/cases/?q={p.id_number}", case.pk), (f"/api/v1/contacts/?q={p.id_number}", risk.pk)):
        assert _ids(api_client(cast.viewer_a).get(url)) == [], url
        assert _ids(api_client(cast.officer_b).get(url)) == [], url
        assert _ids(api_client(cast.officer_a).get(url)) == [pk], url
    assert AuditEntry.objects.filter(action="people.search.exact", actor_label="officer_a").count() == 2
