import json

from cordon.zones import services
from cordon.zones.models import Zone


def test_an_officer_designates_a_zone_by_ticking_buildings(p8, homes, cast, api_client):
    c = api_client(cast.officer_a)
    page = c.get("/zones/candidates/", {"pick_type": "building", "parent": homes.buildings[0].region_path})
    assert str(homes.buildings[0]) in page.content.decode()
    r = c.post("/zones/new/", {"kind": "sealed", "pick_type": "building", "pick": [homes.buildings[0].pk, homes.buildings[1].pk]})
    zone = Zone.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/zones/{zone.pk}/" and zone.households == 8


def test_a_polygon_can_be_pasted_and_bad_geojson_is_named(p8, homes, cast, api_client):
    c = api_client(cast.officer_a)
    r = c.post("/zones/new/", {"kind": "sealed", "polygon": "{not json"})
    assert r.status_code == 400 and "polygon" in r.content.decode()
    poly = {"type": "Polygon", "coordinates": [[[121.2995, 31.199], [121.3015, 31.199], [121.3015, 31.201], [121.2995, 31.201], [121.2995, 31.199]]]}
    assert c.post("/zones/new/", {"kind": "controlled", "polygon": json.dumps(poly)}).status_code == 302
    assert Zone.objects.get().households == 8


def test_the_zone_page_shows_workers_emergency_path_and_refuses_an_early_lift(p8, homes, cast, api_client):
    zone = services.zone_designate(actor=cast.officer_a, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    c = api_client(cast.officer_a)
    c.post(f"/zones/{zone.pk}/workers/", {"household": [h.pk for h in homes.households[:4]], "worker_name": "王网格", "worker_phone": "13900000009"})
    c.post(f"/zones/{zone.pk}/act/confirm/")
    body = c.get(f"/zones/{zone.pk}/").content.decode()
    assert "王网格" in body and "13900000009" in body and "120" in body
    r = c.post(f"/zones/{zone.pk}/act/lift/", follow=True)
    assert "days_without_new_case" in r.content.decode()
    zone.refresh_from_db()
    assert zone.status == "in_force"


def test_the_index_renders_the_map_and_the_public_page_needs_no_login(p8, homes, cast, api_client):
    zone = services.zone_confirm(actor=cast.officer_a, zone=services.zone_designate(
        actor=cast.officer_a, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}]))
    body = api_client(cast.officer_a).get("/zones/").content.decode()
    assert zone.name in body and 'data-chart="option"' in body
    public = api_client().get("/zones/public/")
    assert public.status_code == 200 and zone.name in public.content.decode()
    assert api_client().get("/zones/").status_code == 302
