"""The zones pages through the shared layers: a form validates the designation, the FilterSet filters the page, its
export and the API alike, and a bad value is named instead of dropped."""

from cordon.core.testing import assert_filter_refused, exported_rows
from cordon.zones import forms, services
from cordon.zones.models import Zone


def test_a_bad_designation_names_the_field_and_writes_nothing(p8, homes, cast, api_client):
    c = api_client(cast.officer_a)
    r = c.post("/zones/new/", {"kind": "", "pick_type": "building", "pick": [homes.buildings[0].pk]})
    assert r.status_code == 400 and "kind" in r.content.decode() and Zone.objects.count() == 0
    r = c.post("/zones/new/", {"kind": "sealed", "pick_type": "building", "pick": [homes.buildings[0].pk], "note": "x" * 301})
    assert r.status_code == 400 and "note" in r.content.decode() and Zone.objects.count() == 0


def test_a_worker_without_a_phone_is_refused_on_the_page(p8, homes, cast, api_client):
    zone = services.zone_designate(actor=cast.officer_a, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    c = api_client(cast.officer_a)
    r = c.post(f"/zones/{zone.pk}/workers/", {"household": [h.pk for h in homes.households[:2]], "worker_name": "王网格"}, follow=True)
    label = str(forms.AssignForm.base_fields["worker_phone"].label)  # in the user's language
    assert any(label in str(m) for m in r.context["messages"])
    assert not zone.members.filter(worker_name="王网格").exists()


def test_the_page_export_and_api_filter_the_same_way(p8, homes, cast, api_client):
    first = services.zone_designate(actor=cast.officer_a, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}],
                                    name="Alpha")
    services.zone_confirm(actor=cast.officer_a, zone=first)
    services.zone_designate(actor=cast.officer_a, kind="sealed", picks=[{"type": "building", "id": homes.buildings[1].pk}], name="Beta")
    c = api_client(cast.officer_a)
    page = c.get("/zones/", {"status": "designated"})
    assert [row["zone"].name for row in page.context["rows"]] == ["Beta"]
    assert [z["name"] for z in c.get("/api/v1/zones/", {"status": "designated"}).json()["items"]] == ["Beta"]
    assert c.get("/api/v1/zones/", {"q": "alp"}).json()["count"] == 1
    assert exported_rows(c, "/zones/", {"status": "designated"}) == 1
    assert_filter_refused(c, api="/api/v1/zones/", page="/zones/", field="status", value="nonsense")
