import datetime as dt

from cordon.core import clock
from cordon.zones import services
from cordon.zones.models import Zone


def test_an_officer_designates_confirms_and_is_refused_an_early_lift_through_the_api(p8, homes, cast, api_client):
    c = api_client(cast.officer_a)
    r = c.post("/api/v1/zones/", {"kind": "sealed", "picks": [{"type": "unit", "id": homes.units[0].pk}]}, content_type="application/json")
    assert r.status_code == 201, r.content
    zid = r.json()["id"]
    assert r.json()["households"] == 2
    assert c.post(f"/api/v1/zones/{zid}/confirm", {}, content_type="application/json").json()["status"] == "in_force"
    r = c.post(f"/api/v1/zones/{zid}/lift", {}, content_type="application/json")
    assert r.status_code == 409
    assert {f["field"] for f in r.json()["error"]["fields"]} == {"days_without_new_case", "negative_round_within_days"}


def test_bad_picks_get_an_error_naming_the_field(p8, homes, cast, api_client):
    r = api_client(cast.officer_a).post("/api/v1/zones/", {"kind": "sealed", "picks": [{"type": "planet", "id": 1}]},
                                        content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["field"] == "picks[0].type"
    r = api_client(cast.officer_a).post("/api/v1/zones/", {"kind": "sealed", "picks": [{"type": "building", "id": homes.buildings[0].pk}],
                                                          "polygon": {"type": "Polygon"}}, content_type="application/json")
    assert r.status_code == 400


def test_the_public_feed_needs_no_login_and_follows_every_change(p8, homes, cast, api_client):
    anon = api_client()
    assert anon.get("/api/v1/zones/public").json()["data"]["highlist"] == []
    zone = services.zone_designate(actor=cast.officer_a, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    assert anon.get("/api/v1/zones/public").json()["data"]["highlist"] == []
    services.zone_confirm(actor=cast.officer_a, zone=zone)
    body = anon.get("/api/v1/zones/public").json()["data"]  # the national list's shape; a sealed zone is listed high
    assert body["highlist"][0]["communitys"] == [zone.name] and body["hcount"] == 1
    assert body["end_update_time"].startswith(clock.today().isoformat())
    assert "population" not in body["highlist"][0]


def test_household_rows_are_masked_for_a_viewer(p8, homes, cast, api_client):
    zone = services.zone_designate(actor=cast.officer_a, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}])
    rows = api_client(cast.viewer_a).get(f"/api/v1/zones/{zone.pk}/households").json()["items"]
    assert len(rows) == 4 and all(r["address"].endswith("***") for r in rows)
    rows = api_client(cast.officer_a).get(f"/api/v1/zones/{zone.pk}/households").json()["items"]
    assert not rows[0]["address"].endswith("***")


def test_the_list_is_scoped_and_the_map_carries_days_remaining(p8, homes, cast, api_client):
    zone = services.zone_confirm(actor=cast.officer_a, zone=services.zone_designate(
        actor=cast.officer_a, kind="sealed", picks=[{"type": "building", "id": homes.buildings[0].pk}]))
    Zone.objects.filter(pk=zone.pk).update(clock_start=clock.now() - dt.timedelta(days=4))
    assert api_client(cast.officer_a).get("/api/v1/zones/").json()["count"] == 1
    assert api_client(cast.officer_b).get("/api/v1/zones/").json()["count"] == 0
    zones = api_client(cast.officer_a).get("/api/v1/zones/map").json()["zones"]
    assert zones[0]["days_remaining"] == 10 and zones[0]["population"] == 4
    r = api_client(cast.officer_a).get("/api/v1/zones/export")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
