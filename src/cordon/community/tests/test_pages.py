"""The community pages through the shared layers: forms validate door checks, passes and returnees, the
FilterSets filter the page, its export and the API alike, and a bad value is named instead of dropped."""

import pytest
from django.utils import translation

from cordon.community import forms
from cordon.community.models import DoorCheck, EntrancePass, Returnee
from cordon.core.testing import exported_rows
from cordon.zones.tests.conftest import estate

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes(city):
    return estate(city.a_grid, compound="阳光小区", buildings=1, units=1, per_unit=3)


def _names(answer, form, field) -> bool:
    """A page message names the field, in the page's language."""
    with translation.override(answer.headers.get("Content-Language", "en")):
        label = str(form.base_fields[field].label)
    return any(str(m).startswith(label) for m in answer.context["messages"])


def _check(client, city, household, follow=False, **changes):
    data = {"household_id": household.pk, "answered": "on", "all_present": "on", "absent": "0", "needs": ["food"], **changes}
    return client.post(f"/community/grids/{city.a_grid.pk}/check/", data, follow=follow)


def test_a_worker_records_a_door_check_and_issues_a_pass_on_the_pages(homes, city, cast, api_client):
    client = api_client(cast.officer_a)
    assert _check(client, city, homes.households[0], symptoms="on").status_code == 302
    assert DoorCheck.objects.get().symptoms is True
    b = homes.buildings[0]
    answer = client.post("/community/entrance/", {"what": "pass", "compound_key": f"{b.community_id}:{b.compound}",
                                                  "holder_name": "王快递", "holder_phone": "13900000000", "role": "delivery"})
    assert answer.status_code == 302 and EntrancePass.objects.get().holder_name == "王快递"


def test_a_bad_value_names_the_field_and_writes_nothing(homes, city, cast, api_client):
    client = api_client(cast.officer_a)
    answer = _check(client, city, homes.households[0], absent="-1", follow=True)
    assert DoorCheck.objects.count() == 0 and _names(answer, forms.DoorCheckForm, "absent")
    answer = client.post(f"/community/grids/{city.a_grid.pk}/check/", {"household_id": homes.households[0].pk, "needs": ["gold"]},
                         follow=True)
    assert DoorCheck.objects.count() == 0 and _names(answer, forms.DoorCheckForm, "needs")
    b = homes.buildings[0]
    answer = client.post("/community/entrance/", {"what": "pass", "compound_key": f"{b.community_id}:{b.compound}", "holder_name": "王",
                                                  "holder_phone": "139", "role": "pirate"}, follow=True)
    assert EntrancePass.objects.count() == 0 and _names(answer, forms.EntrancePassForm, "role")
    answer = client.post("/community/villages/", {"what": "returnee", "village_id": city.a_community.pk, "name": "李",
                                                  "id_number": "1" * 30, "phone": "137", "from_place": "x"}, follow=True)
    assert Returnee.objects.count() == 0 and _names(answer, forms.ReturneeForm, "id_number")


def test_the_page_export_and_api_filter_the_same_way(homes, city, cast, api_client):
    client = api_client(cast.officer_a)
    _check(client, city, homes.households[0], symptoms="on")
    _check(client, city, homes.households[1])
    page = client.get("/community/checks/", {"symptoms": "1"})
    assert [c.household_id for c in page.context["page"]] == [homes.households[0].pk]
    assert client.get("/api/v1/community/doorchecks", {"symptoms": "true"}).json()["count"] == 1
    assert client.get("/api/v1/community/doorchecks", {"grid": city.a_grid.path}).json()["count"] == 2
    assert exported_rows(client, "/community/checks/", {"symptoms": "1"}) == 1
    shown = client.get("/community/checks/", {"day": "not a day"})
    assert shown.status_code == 200 and list(shown.context["page"]) == []
    assert any("day" in str(m) for m in shown.context["messages"])
