"""The national risk-area list, both ways, with real snapshots of the list.

Data: src/cordon/zones/data/national/ (see its README.md): snapshots of the JSON the national 卫健委
risk-area query served in 2022, as archived by the public GitHub repository panghaibin/RiskLevelAPI (branch `api`);
the list is public information of the National Health Commission, the archive declares no licence. Two April 2022
snapshots are unchanged; the December 2022 one (the format with a low list) is trimmed, its counts recomputed.
"""

import datetime as dt
import io
import json
import pathlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from cordon.core import clock
from cordon.core.errors import Conflict, ServiceError
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.regions.models import Region
from cordon.zones import national, selectors, services
from cordon.zones.models import ExternalArea, NationalList
from cordon.zones.tests.conftest import adopt, estate

pytestmark = pytest.mark.django_db

DATA = pathlib.Path(__file__).parents[1] / "data" / "national"
APRIL_18 = DATA / "2022041518-4e719d68.json"
APRIL_20 = DATA / "2022041520-f04a1ad0.json"
DECEMBER = DATA / "2022120308-b30036df-trimmed.json"


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _import(path, actor=SYSTEM):
    return services.national_import(actor=actor, data=path.read_bytes(), source=path.name)


def _command(*args) -> dict:
    out = io.StringIO()
    call_command("zones", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


# --- reading the list ------------------------------------------------------------------------------------------------

def test_a_real_snapshot_reads_with_the_counts_it_states_and_its_update_time_in_city_time():
    parsed = national.parse_document(_load(APRIL_18))
    assert parsed.listed == {"high": 14, "middle": 185, "low": 0}
    assert parsed.declared == {"high": 14, "middle": 185, "low": None}  # no lcount before November 2022
    assert parsed.updated_at == dt.datetime(2022, 4, 15, 18, tzinfo=ZoneInfo("Asia/Shanghai"))
    high = {a.community for a in parsed.areas if a.level == "high"}
    assert "团山街道小南街社区" in high and len(parsed.areas) == 199


def test_a_snapshot_with_a_low_list_reads_all_three_levels():
    parsed = national.parse_document(_load(DECEMBER))
    assert parsed.listed == {"high": 6, "middle": 0, "low": 9} == parsed.declared


def test_the_update_time_reads_with_or_without_a_leading_zero_and_is_written_as_the_list_writes_it():
    assert national.parse_time("2022-04-16 9时") == national.parse_time("2022-04-16 09时")
    assert national.format_time(national.parse_time("2022-12-03 08时")) == "2022-12-03 08时"
    with pytest.raises(ValueError):
        national.parse_time("2022-12-03 08:00")


def test_a_broken_list_is_refused_naming_the_field_and_nothing_is_imported():
    doc = _load(APRIL_18)
    doc["data"]["middlelist"][3]["communitys"] = "王答乡元跃物流园区"
    doc["data"]["end_update_time"] = "yesterday"
    with pytest.raises(ServiceError) as err:
        services.national_import(actor=SYSTEM, doc=doc)
    fields = [f["field"] for f in err.value.fields]
    assert fields == ["data.end_update_time", "data.middlelist[3].communitys"]
    assert not ExternalArea.objects.exists() and not NationalList.objects.exists()
    with pytest.raises(ServiceError, match="JSON"):
        services.national_import(actor=SYSTEM, data=b"<html>")


# --- importing -------------------------------------------------------------------------------------------------------

def test_the_command_imports_a_real_snapshot_and_the_same_file_again_changes_nothing():
    first = _command("import-national", str(APRIL_18))
    assert (first["high"], first["middle"], first["low"]) == (14, 185, 0)
    assert (first["added"], first["removed"], first["unchanged"], first["changed"]) == (199, 0, 0, True)
    assert first["end_update_time"] == "2022-04-15 18时"
    again = _command("import-national", str(APRIL_18))
    assert (again["high"], again["middle"], again["low"]) == (14, 185, 0)  # the JSON line on every run
    assert (again["added"], again["removed"], again["unchanged"], again["changed"]) == (0, 0, 199, False)
    assert NationalList.objects.count() == 1 and ExternalArea.objects.count() == 199
    assert AuditEntry.objects.filter(action="zones.national_import").count() == 1


def test_a_newer_snapshot_ends_the_areas_it_no_longer_lists_and_keeps_them_as_history():
    _import(APRIL_18)
    report = _import(APRIL_20)
    assert (report["middle"], report["added"], report["removed"], report["unchanged"]) == (177, 0, 8, 191)
    ended = ExternalArea.objects.filter(listed_until__isnull=False)
    assert ended.count() == 8 and ExternalArea.objects.count() == 199
    assert {a.listed_until for a in ended} == {national.parse_time("2022-04-15 20时")}
    assert "明珠街道长春大学" in {a.community for a in ended}
    assert selectors.external_counts() == {"high": 14, "middle": 177, "low": 0}


def test_an_older_snapshot_than_the_one_in_force_is_refused():
    _import(APRIL_20)
    with pytest.raises(Conflict) as err:
        _import(APRIL_18)
    assert err.value.fields[0]["field"] == "data.end_update_time"
    with pytest.raises(CommandError):
        call_command("zones", "import-national", str(APRIL_18), stdout=io.StringIO(), stderr=io.StringIO())
    assert ExternalArea.objects.filter(listed_until__isnull=True).count() == 191


def test_only_the_city_command_imports_the_list(city, cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _import(APRIL_18, actor=cast.officer_a)
    assert _import(APRIL_18, actor=cast.commander)["added"] == 199


# --- matching arrivals -------------------------------------------------------------------------------------------------

def test_a_place_matches_by_city_county_and_community_or_by_a_county_wide_entry():
    _import(APRIL_18)
    assert selectors.external_risk(place="吉林省长春市宽城区团山街道小南街社区3栋")["level"] == "high"
    hit = selectors.external_risk(place="吉林省 长春市 宽城区 凯旋街道友谊花园小区")
    assert (hit["level"], hit["national_level"], hit["category"]) == ("medium", "middle", "medium_risk_arrival")
    assert selectors.external_risk(place="河北省廊坊市安次区葛渔城镇西村")["level"] == "high"  # 葛渔城镇全域
    assert selectors.external_risk(place="北京市朝阳区酒仙桥街道二街坊")["area"] == "北京市 朝阳区 酒仙桥街道 二街坊"
    assert selectors.external_risk(place="吉林省长春市宽城区某街道某小区") is None
    assert selectors.external_risk(place="辽宁省大连市宽城区团山街道小南街社区") is None  # another city's county of that name


def test_an_area_ended_by_a_newer_list_matches_only_before_it_ended():
    _import(APRIL_18)
    _import(APRIL_20)
    place = "吉林省长春市南关区明珠街道长春大学"
    assert selectors.external_risk(place=place) is None
    then = national.parse_time("2022-04-15 19时")
    assert selectors.external_risk(place=place, on=then)["level"] == "medium"
    assert selectors.external_risk(place=place, on=national.parse_time("2022-04-15 17时")) is None


def test_county_wide_entries_of_the_low_list_cover_the_county():
    _import(DECEMBER)
    assert selectors.external_risk(place="宁夏回族自治区银川市兴庆区解放西街")["level"] == "low"
    assert selectors.external_risk(place="陕西省宝鸡市渭滨区经二路")["level"] == "low"
    assert selectors.external_risk(place="新疆乌鲁木齐市天山区人民路")["level"] == "low"
    assert selectors.external_risk(place="北京市朝阳区呼家楼街道好世界商业广场")["level"] == "high"
    assert selectors.external_risk(place="北京市朝阳区呼家楼街道金台里") is None


def test_a_checkpoint_holds_an_arrival_from_a_listed_high_risk_community_and_hands_it_over(city, cast):
    from cordon.checkpoints import services as checkpoint_services
    from cordon.checkpoints.factories import CheckpointFactory
    from cordon.people.factories import PersonFactory
    from cordon.status import credentials
    from cordon.status import services as status_services
    from cordon.status.models import StatusReason

    _import(APRIL_18)
    person = PersonFactory(grid=city.a_grid)
    status_services.sample_recorded(actor=SYSTEM, person_id=person.pk, sampled_at=clock.now() - dt.timedelta(hours=5), negative=True)
    code = credentials.credential_issue(token=person.token)["code"]
    insp = checkpoint_services.inspection_record(actor=cast.officer_a, checkpoint=CheckpointFactory(region=city.a_street), code=code,
                                                 origin="吉林省长春市宽城区团山街道小南街社区")
    assert (insp.result, insp.reason, insp.origin_level, insp.handed_over) == ("hold", "origin_risk_area", "high", True)
    assert StatusReason.objects.filter(person=person, reason="high_risk_arrival", active=True).exists()
    other = checkpoint_services.inspection_record(actor=cast.officer_a, checkpoint=CheckpointFactory(region=city.a_street), code=code,
                                                  origin="吉林省长春市宽城区某小区")
    assert other.origin_level == ""


def test_a_returnee_from_a_listed_area_who_is_not_a_resident_gets_a_record_with_measures(city, cast):
    from cordon.community import services as community_services
    from cordon.contacts.models import RiskPerson
    from cordon.core.ids import make_id_number
    from cordon.status.models import StatusReason

    adopt("protocol-9")
    _import(APRIL_18)
    city.a_community.is_rural = True
    city.a_community.save()
    r = community_services.returnee_register(
        actor=cast.officer_a, village_id=city.a_community.pk, name="赵返乡", id_number=make_id_number("990101", dt.date(1988, 3, 1), 12, "M"),
        phone="13700000002", from_place="吉林省长春市宽城区凯旋街道友谊花园小区", grid_id=city.a_grid.pk)
    assert r.from_risk == "medium"  # not declared: the national list says so
    assert r.person is not None and r.person.grid_id == city.a_grid.pk
    assert StatusReason.objects.filter(person=r.person, reason="medium_risk_arrival", active=True).exists()
    assert RiskPerson.objects.get(person=r.person).category == "medium_risk_arrival"


# --- publishing cordon's own areas -------------------------------------------------------------------------------------

def _in_force(city, name, kind="sealed"):
    homes = estate(city.a_grid, compound=name, buildings=1, units=1, per_unit=1)
    zone = services.zone_designate(actor=SYSTEM, kind=kind, picks=[{"type": "building", "id": homes.buildings[0].pk}], name=name)
    return services.zone_confirm(actor=SYSTEM, zone=zone)


def test_the_export_has_the_national_shape_with_counts_of_the_strings_listed(city, settings):
    adopt("protocol-8")
    Region.objects.filter(pk=city.city.pk).update(code="3101")  # the province comes from the city's division code
    _in_force(city, "幸福小区1号楼")
    _in_force(city, "和平小区2号楼")
    _in_force(city, "光明小区", kind="controlled")
    doc = json.loads(_export())
    data = doc["data"]
    assert doc["code"] == 0 and set(data) == {"end_update_time", "hcount", "mcount", "lcount", "highlist", "middlelist", "lowlist"}
    assert (data["hcount"], data["mcount"], data["lcount"]) == (2, 1, 0)
    for _level, key, count in national.LEVELS:
        assert data[count] == sum(len(e["communitys"]) for e in data[key])
    entry = data["highlist"][0]
    assert entry["type"] == "2" and entry["province"] == "上海市" and entry["city"] == city.city.name
    assert entry["county"] == city.a.name and entry["area_name"] == f"上海市 {city.city.name} {city.a.name}"
    assert sorted(entry["communitys"]) == ["和平小区2号楼", "幸福小区1号楼"]
    assert national.parse_time(data["end_update_time"]) == national.parse_time(national.format_time(clock.now()))
    settings.CORDON_PROVINCE_NAME = "江苏省"  # or from the settings
    assert json.loads(_export())["data"]["highlist"][0]["area_name"].startswith("江苏省 ")


def _export() -> str:
    out = io.StringIO()
    call_command("zones", "export-national", stdout=out)
    return out.getvalue()


def test_export_then_import_gives_the_same_areas(city):
    adopt("protocol-8")
    _in_force(city, "幸福小区1号楼")
    _in_force(city, "光明小区", kind="controlled")
    exported = national.parse_document(json.loads(_export()))
    report = services.national_import(actor=SYSTEM, doc=json.loads(_export()))
    assert report["added"] == 2
    current = {(a.level, a.province, a.city, a.county, a.community) for a in ExternalArea.objects.filter(listed_until__isnull=True)}
    assert current == {a.key for a in exported.areas} == {a.key for a in selectors.national_areas()}


def test_the_update_time_is_the_city_hour_just_after_midnight(city):
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        assert national.format_time(clock.now()) == "2027-01-01 00时"
        assert json.loads(_export())["data"]["end_update_time"] == "2027-01-01 00时"


def test_the_public_endpoint_serves_the_national_shape_without_login(city, api_client):
    adopt("protocol-8")
    _in_force(city, "幸福小区1号楼")
    body = api_client().get("/api/v1/zones/public").json()
    assert body["data"]["hcount"] == 1 and body["data"]["highlist"][0]["communitys"] == ["幸福小区1号楼"]
    assert body["data"]["lowlist"] == [] and body["msg"] == "查询成功"


# --- API and page ----------------------------------------------------------------------------------------------------

def test_the_api_imports_a_file_for_the_commander_and_lists_the_areas(city, cast, api_client):
    upload = SimpleUploadedFile(APRIL_18.name, APRIL_18.read_bytes(), content_type="application/json")
    assert api_client(cast.officer_a).post("/api/v1/zones/national", {"file": upload}).status_code == 403
    upload.seek(0)
    r = api_client(cast.commander).post("/api/v1/zones/national", {"file": upload})
    assert r.status_code == 200 and r.json()["middle"] == 185 and r.json()["added"] == 199
    body = api_client(cast.viewer_a).get("/api/v1/zones/national/areas?level=high&q=长春").json()
    assert body["count"] == 3 and {a["county"] for a in body["items"]} == {"宽城区", "绿园区", "九台区"}
    status = api_client(cast.viewer_a).get("/api/v1/zones/national").json()
    assert status["current"] == {"high": 14, "middle": 185, "low": 0} and status["lists"][0]["source"] == APRIL_18.name
    assert api_client(cast.viewer_a).get("/api/v1/zones/national/areas?level=urgent").status_code == 400


def test_the_page_uploads_for_the_commander_and_shows_the_areas_to_officers(city, cast, api_client):
    page = api_client(cast.commander).post("/zones/national/", {"file": SimpleUploadedFile(APRIL_20.name, APRIL_20.read_bytes())})
    assert page.status_code == 302
    shown = api_client(cast.officer_a).get("/zones/national/?level=middle&q=汤原县")
    assert shown.status_code == 200 and "阳光花园小区" in shown.content.decode() and 'type="file"' not in shown.content.decode()
    assert api_client(cast.officer_a).post("/zones/national/", {"file": SimpleUploadedFile("x.json", b"{}")}).status_code == 403
    bad = api_client(cast.commander).post("/zones/national/", {"file": SimpleUploadedFile("x.json", b"{}")})
    assert bad.status_code == 400 and NationalList.objects.count() == 1
