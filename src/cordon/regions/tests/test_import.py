"""Loading a real city's official division codes (赤峰市, see data/chifeng/SOURCE.md for source and licence)."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from cordon.core import access, tabular
from cordon.core.errors import ServiceError
from cordon.regions import services
from cordon.regions.models import Level, Region, RegionChange, RegionHistory

DATA = Path(__file__).parent / "data" / "chifeng"
FILES = ["provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"]
pytestmark = pytest.mark.django_db
SYSTEM = access.system("regions.test")  # a fresh database has no posts yet: the command runs as the system


def _files(names=FILES, replace: dict | None = None):
    out = []
    for name in names:
        data = (DATA / name).read_bytes()
        for old, new in (replace or {}).get(name, []):
            data = data.replace(old.encode(), new.encode())
        out.append((name, data))
    return out


def test_a_province_wide_extract_loads_the_chosen_city_into_a_fresh_database():
    report = services.regions_import(actor=SYSTEM, files=_files(), city="1504")
    assert report == {"city": "1504", "rows": 1 + 12 + 196 + 326, "created": 535, "renamed": 0, "restored": 0,
                      "abolished": 0, "unchanged": 0}
    city = Region.objects.get(parent__isnull=True)
    assert (city.code, city.name, city.level) == ("1504", "赤峰市", Level.CITY)
    assert not Region.objects.filter(code__startswith="1501").exists()  # 呼和浩特市 was not chosen
    village = Region.objects.get(code="150422100201")
    assert (village.name, village.level, village.path) == ("福山地村", Level.COMMUNITY, "1504.150422.150422100.150422100201")
    assert village.is_rural and not Region.objects.get(code="150423100011").is_rural  # 铁路社区
    assert Region.objects.get(code="150422100").parent.code == "150422"
    assert RegionHistory.objects.filter(change=RegionChange.CREATED).count() == 535


def test_a_second_run_changes_nothing():
    services.regions_import(actor=SYSTEM, files=_files(), city="1504")
    before = list(Region.objects.values_list("code", "name", "path", "abolished_on"))
    again = services.regions_import(actor=SYSTEM, files=_files(), city="1504")
    assert again["unchanged"] == 535 and again["created"] == again["renamed"] == again["abolished"] == 0
    assert list(Region.objects.values_list("code", "name", "path", "abolished_on")) == before
    assert RegionHistory.objects.count() == 535


def test_renamed_and_abolished_codes_are_kept_as_history_and_a_returning_code_is_restored():
    services.regions_import(actor=SYSTEM, files=_files(), city="1504")
    newer = _files(replace={"villages.csv": [('150422100201,"福山地村"', '150422100201,"福山新村"'),
                                             ('150422100232,"道老毛道村",150422100,15,1504,150422\n', "")]})
    report = services.regions_import(actor=SYSTEM, files=newer, city="1504")
    assert (report["renamed"], report["abolished"], report["created"]) == (1, 1, 0)
    assert Region.objects.get(code="150422100201").name == "福山新村"
    gone = Region.objects.get(code="150422100232")
    assert gone.abolished_on is not None  # kept, dated
    assert list(gone.history.values_list("change", flat=True)) == ["created", "abolished"]
    renamed = RegionHistory.objects.get(code="150422100201", change=RegionChange.RENAMED)
    assert (renamed.old_name, renamed.new_name) == ("福山地村", "福山新村")
    back = services.regions_import(actor=SYSTEM, files=_files(), city="1504")
    assert (back["restored"], back["renamed"]) == (1, 1)
    assert Region.objects.get(code="150422100232").abolished_on is None


def test_a_file_of_one_street_abolishes_nothing_elsewhere():
    services.regions_import(actor=SYSTEM, files=_files(), city="1504")
    text = (DATA / "villages.csv").read_text(encoding="utf-8").splitlines()
    one_street = "\n".join([text[0], *[line for line in text[1:] if line.startswith("150423100")]]).encode()
    report = services.regions_import(actor=SYSTEM, files=[("villages.csv", one_street)])
    assert report["abolished"] == 0 and report["created"] == 0


def test_twelve_digit_statistical_codes_with_a_parent_column_load_the_same_tree():
    rows = [["150400000000", "赤峰市", "150000000000"], ["150422000000", "巴林左旗", "150400000000"],
            ["150422100000", "林东镇", "150422000000"], ["150422100201", "福山地村", "150422100000"]]
    data = tabular.xlsx_bytes(["统计用区划代码", "名称", "上级代码"], rows)
    report = services.regions_import(actor=SYSTEM, files=[("codes.xlsx", data)])
    assert report["created"] == 4
    assert Region.objects.get(code="150422100201").path == "1504.150422.150422100.150422100201"


def test_bad_files_are_refused_whole_with_row_and_field():
    broken = _files(["cities.csv", "areas.csv", "streets.csv"],
                    replace={"streets.csv": [("150402002,", "15040200X,")]})
    with pytest.raises(ServiceError) as caught:
        services.regions_import(actor=SYSTEM, files=broken, city="1504")
    assert caught.value.fields[0]["row"] == 3 and caught.value.fields[0]["field"] == "code"
    orphan = [("streets.csv", (DATA / "streets.csv").read_bytes())]
    with pytest.raises(ServiceError) as caught:
        services.regions_import(actor=SYSTEM, files=orphan, city="1504")
    messages = [f["message"] for f in caught.value.fields]
    assert any("1504 " in m for m in messages) and any("150402001" in m for m in messages)  # no city, no district
    assert Region.objects.count() == 0


def test_a_province_file_without_a_city_choice_asks_for_one():
    with pytest.raises(ServiceError) as caught:
        services.regions_import(actor=SYSTEM, files=_files(["provinces.csv", "cities.csv"]))
    assert caught.value.code == "choose_city"


def test_a_database_of_another_city_is_refused(city, cast):
    with pytest.raises(ServiceError) as caught:
        services.regions_import(actor=cast.commander, files=_files(), city="1504")
    assert caught.value.code == "other_city"


def test_only_a_city_wide_officer_may_load_codes(city, cast):
    with pytest.raises(Exception) as caught:
        services.regions_import(actor=cast.officer_a, files=_files(), city="9901")
    assert caught.type.__name__ == "PermissionDenied"


def test_grids_are_added_under_communities_once():
    services.regions_import(actor=SYSTEM, files=_files(), city="1504")
    first = services.grids_add(actor=SYSTEM, per_community=2, under="1504.150422")
    assert first == {"communities": 164, "grids_created": 328}
    assert services.grids_add(actor=SYSTEM, per_community=2, under="1504.150422")["grids_created"] == 0
    grid = Region.objects.get(code="150422100201001")
    assert grid.level == Level.GRID and grid.path.endswith(".150422100201.150422100201001")


def test_the_command_prints_what_it_did():
    out = io.StringIO()
    call_command("regions", "import", *[str(DATA / n) for n in FILES], "--city", "1504", stdout=out)
    assert json.loads(out.getvalue())["created"] == 535
    out = io.StringIO()
    call_command("regions", "import", *[str(DATA / n) for n in FILES], "--city", "1504", stdout=out)
    assert json.loads(out.getvalue())["unchanged"] == 535


def test_the_api_loads_codes_for_the_commander_and_lists_bad_rows(city, cast, api_client):
    def post(text: str):
        f = io.BytesIO(text.encode())
        f.name = "villages.csv"
        return api_client(cast.commander).post("/api/v1/regions/import", {"files": f})

    good = f"code,name,streetCode\n{city.a_street.code}201,新风村,{city.a_street.code}\n{city.a_street.code}001,甲一社区,{city.a_street.code}\n"
    first = post(good)
    assert first.status_code == 200 and first.json()["created"] == 1
    assert post(good).json()["unchanged"] == 2
    bad = post(f"code,name\n{city.a_street.code}20X,坏代码\n")
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["row"] == 2


def test_the_page_loads_several_files_and_lists_bad_rows(city, cast, api_client):
    def upload(*texts: str):
        files = []
        for n, text in enumerate(texts):
            f = io.BytesIO(text.encode())
            f.name = f"part{n}.csv"
            files.append(f)
        return api_client(cast.commander).post("/regions/import/", {"files": files, "city": ""})

    street = city.a_street.code
    page = upload(f"code,name,areaCode\n{city.a.code}778,新城街道,{city.a.code}\n{street},甲一街道,{city.a.code}\n",
                  f"code,name,streetCode\n{city.a.code}778001,新城社区,{city.a.code}778\n")
    assert page.status_code == 200 and Region.objects.get(code=f"{city.a.code}778001").parent.code == f"{city.a.code}778"
    assert page.context["report"]["created"] == 2
    bad = upload("code,name\n12345,坏代码\n")
    assert bad.context["problems"]["errors"][0]["row"] == 2 and not bad.context["report"]
    assert api_client(cast.officer_a).get("/regions/import/").status_code == 403


def test_the_history_is_listed_read_only_in_the_admin(city, cast, api_client):
    f = io.BytesIO(f"code,name,areaCode\n{city.a.code}779,史街道,{city.a.code}\n{city.a_street.code},甲一街道,{city.a.code}\n".encode())
    f.name = "streets.csv"
    assert api_client(cast.commander).post("/api/v1/regions/import", {"files": f}).status_code == 200
    entry = RegionHistory.objects.get(code=f"{city.a.code}779")
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw-for-tests-1")
    admin = Client()
    admin.force_login(root)
    page = admin.get("/admin/regions/regionhistory/")
    assert page.status_code == 200 and f"{city.a.code}779" in page.content.decode()
    assert admin.post(f"/admin/regions/regionhistory/{entry.pk}/change/", {"code": "x"}).status_code == 403
