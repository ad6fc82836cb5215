import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import translation

from cordon.core import clock, tabular
from cordon.core.errors import ServiceError
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.spacetime import cells, services
from cordon.spacetime.models import BatchArea, CellPresence, PresenceBatch


def _csv(rows):
    lines = ["person_id,id_number,cell_id,lon,lat,start,end"] + [",".join(str(x) for x in r) for r in rows]
    return "\n".join(lines).encode()


@pytest.fixture
def people(city):
    return PersonFactory(grid=city.a_grid), PersonFactory(grid=city.b_grid)


def test_a_file_loads_whole_and_a_stay_over_midnight_is_split(cast, people):
    a, b = people
    data = _csv([
        (a.pk, "", "E10N10", "", "", "2022-06-01 08:00", "2022-06-01 09:30"),
        ("", b.id_number, "", 121.3, 31.2, "2022-06-01 22:00", "2022-06-02 07:00"),
    ])
    report = services.presence_import(actor=cast.commander, data=data, filename="mobile.csv")
    assert report["stored"] == 3 and report["received"] == 2 and not report["already_loaded"]
    night = list(CellPresence.objects.filter(person=b).order_by("start"))
    assert [clock.local(r.start).strftime("%d %H:%M") for r in night] == ["01 22:00", "02 00:00"]
    assert night[0].cell_id == cells.cell_of(121.3, 31.2) and night[0].region_path == b.region_path
    assert PresenceBatch.objects.get().source == "mobile"
    assert {x.region_path for x in BatchArea.objects.all()} == {a.region_path, b.region_path}


def test_loading_the_same_file_again_stores_nothing(cast, people):
    a, _ = people
    data = _csv([(a.pk, "", "E10N10", "", "", "2022-06-01 08:00", "2022-06-01 09:30")])
    services.presence_import(actor=cast.commander, data=data, filename="m.csv")
    again = services.presence_import(actor=cast.commander, data=data, filename="m.csv")
    assert again["already_loaded"] and again["stored"] == 0
    other = services.presence_import(actor=cast.commander, data=data, filename="m.csv", source="unicom")
    assert other["stored"] == 0 and other["duplicates"] == 1
    assert CellPresence.objects.count() == 1


def test_bad_rows_are_named_by_field_and_row_and_nothing_is_written(cast, people):
    a, _ = people
    future = (clock.local() + dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    data = _csv([
        (a.pk, "", "E10N10", "", "", "2022-06-01 08:00", "2022-06-01 09:30"),
        (a.pk, "", "E10N10", "", "", "2022-06-01 10:00", "2022-06-01 09:00"),
        ("", "110101199001010000", "E10N10", "", "", "2022-06-01 08:00", "2022-06-01 09:00"),
        (a.pk, "", "E10N10", "", "", "2022-06-01 08:00", future),
        (a.pk, "", "not-a-cell", "", "", "2022-06-01 08:00", "2022-06-01 09:00"),
        (a.pk, "", "", "", "", "2022-06-01 08:00", "yesterday"),
    ])
    with translation.override("en"), pytest.raises(ServiceError) as exc:
        services.presence_import(actor=cast.commander, data=data, filename="bad.csv")
    problems = {(f["row"], f["field"]) for f in exc.value.fields}
    assert {(3, "end"), (4, "id_number"), (5, "end"), (6, "cell_id"), (7, "cell_id"), (7, "end")} <= problems
    assert not any(row == 2 for row, _ in problems)
    assert "row 3, end" in exc.value.message
    assert CellPresence.objects.count() == 0 and PresenceBatch.objects.count() == 0


def test_people_outside_the_loaders_area_are_unknown_to_them(cast, people):
    a, b = people
    data = _csv([(b.pk, "", "E10N10", "", "", "2022-06-01 08:00", "2022-06-01 09:30")])
    with pytest.raises(ServiceError) as exc:
        services.presence_import(actor=cast.officer_a, data=data, filename="x.csv")
    assert exc.value.fields[0]["field"] == "person_id" and exc.value.fields[0]["message"] == "未知人员（或不在您的管辖范围内）"
    with pytest.raises(PermissionDenied):
        services.presence_import(actor=cast.viewer_a, data=data, filename="x.csv")


def test_excel_files_load_too(cast, people):
    a, _ = people
    data = tabular.xlsx_bytes(["身份证号", "网格编号", "开始时间", "结束时间"],
                              [[a.id_number, str(cells.parse_cell("E3N4")), "2022-06-01 08:00:00", "2022-06-01 08:45:00"]])
    report = services.presence_import(actor=cast.commander, data=data, filename="operator.xlsx")
    assert report["stored"] == 1 and CellPresence.objects.get().cell_id == cells.parse_cell("E3N4")


def test_a_file_without_the_needed_columns_is_refused(cast, people):
    with pytest.raises(ServiceError) as exc:
        services.presence_import(actor=cast.commander, data=b"who,where\n1,2\n", filename="x.csv")
    assert exc.value.code == "columns_missing"


def test_the_command_line_loads_a_file(tmp_path, people):
    a, _ = people
    path = tmp_path / "presence.csv"
    path.write_bytes(_csv([(a.pk, "", "E10N10", "", "", "2022-06-01 08:00", "2022-06-01 09:30")]))
    call_command("spacetime", "load", str(path))
    assert CellPresence.objects.filter(person=a).count() == 1


def test_synthesis_puts_people_at_home_between_check_ins(city):
    from cordon.people.factories import HouseholdFactory
    from cordon.regions.factories import BuildingFactory
    from cordon.venues.factories import CheckInFactory, VenueFactory

    building = BuildingFactory(grid=city.a_grid, lon=121.30, lat=31.20)
    person = PersonFactory(grid=city.a_grid, household=HouseholdFactory(grid=city.a_grid, building=building))
    venue = VenueFactory(region=city.a_community, lon=121.35, lat=31.25)
    t_in = clock.aware(dt.datetime(2022, 6, 1, 10, 0))
    CheckInFactory(person=person, venue=venue, time_in=t_in, time_out=t_in + dt.timedelta(hours=2))
    report = services.presence_synthesize(actor=SYSTEM)
    assert report["people"] == 1 and report["rows"] == 3
    rows = list(CellPresence.objects.order_by("start").values_list("cell_id", "start", "end"))
    assert [r[0] for r in rows] == [cells.cell_of(121.30, 31.20), cells.cell_of(121.35, 31.25), cells.cell_of(121.30, 31.20)]
    assert rows[1][1] == t_in and rows[0][2] == t_in
    assert services.presence_synthesize(actor=SYSTEM)["rows"] == 3 and CellPresence.objects.count() == 3  # re-run replaces
