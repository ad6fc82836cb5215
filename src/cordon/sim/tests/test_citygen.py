import datetime as dt
import hashlib
from collections import Counter

import pytest
from django.db.models import Count, F, Max, Min
from django.utils import translation

from cordon.core.ids import make_id_number, place_code_for, validate_id_number
from cordon.people.models import Household, Person
from cordon.regions.models import Building, Level, Region, Unit
from cordon.sim import citygen
from cordon.venues.models import CheckIn, Venue, VenueUnit

END = dt.date(2026, 3, 15)
PEOPLE = 2000
CODE_LENGTH = {Level.CITY: 4, Level.DISTRICT: 6, Level.STREET: 9, Level.COMMUNITY: 12, Level.GRID: 15}


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One 2,000-person city for the module (generated once, committed, deleted afterwards)."""
    with django_db_blocker.unblock():
        stats = citygen.generate_city(people=PEOPLE, seed=11, progress=False, end_date=END)
        yield stats
        citygen.delete_city()


def digest() -> str:
    h = hashlib.sha256()
    for model, fields in (
        (Region, ("id", "code", "name", "path", "population", "households", "lon", "lat", "boundary")),
        (Building, ("id", "compound", "name", "grid_id", "lon")),
        (Household, ("id", "address", "size", "has_separate_room_with_bathroom")),
        (Person, ("id", "name", "id_number", "phone", "token", "workplace_id", "chronic", "created_at")),
        (Venue, ("id", "name", "kind", "code", "region_id", "lon")),
    ):
        for row in model.objects.order_by("pk").values_list(*fields):
            h.update(repr(row).encode())
    for row in CheckIn.objects.order_by("person_id", "time_in", "venue_id", "time_out").values_list(
            "person__id_number", "venue__code", "time_in", "time_out", "estimated", "unit__name"):
        h.update(repr(row).encode())
    return h.hexdigest()


@pytest.mark.django_db
def test_it_generates_the_requested_city(generated):
    assert generated.people == PEOPLE == Person.objects.count()
    assert generated.households == Household.objects.count()
    assert generated.checkins == CheckIn.objects.count()
    assert generated.venues == Venue.objects.count()
    assert generated.rows == sum(m.objects.count() for m in (Region, Building, Unit, Household, Person, Venue, VenueUnit, CheckIn))
    assert 6 <= Region.objects.filter(level=Level.DISTRICT).count() <= 12
    assert Region.objects.filter(level=Level.DISTRICT, is_rural=True).exists()
    assert set(Venue.objects.values_list("kind", flat=True)) == set(citygen.KINDS)


@pytest.mark.django_db
def test_work_and_school_stays_name_their_class_floor_or_workshop(generated):
    """Sub-venue units: pupils sit in classes of at most 45 of one grade; workers at offices, factories and
    hospitals in rooms, workshop teams and departments of their own workplace; visitors of restaurants, cinemas,
    KTVs and gyms in a dining area, hall, room or zone; other visits name no unit."""
    at_work = CheckIn.objects.filter(venue_id=F("person__workplace_id"))
    unit_kinds = {"school", "office", "factory", "hospital"}
    assert not at_work.filter(venue__kind__in=unit_kinds, unit__isnull=True).exists()
    visits = CheckIn.objects.exclude(venue_id=F("person__workplace_id"))
    assert not visits.exclude(venue__kind__in=list(citygen.VISIT_UNITS)).filter(unit__isnull=False).exists()
    assert not visits.filter(venue__kind__in=list(citygen.VISIT_UNITS), unit__isnull=True).exists()  # seated somewhere
    assert not CheckIn.objects.filter(unit__isnull=False).exclude(unit__venue_id=F("venue_id")).exists()
    members = Counter()
    for unit_id, _pid in at_work.filter(unit__isnull=False).values_list("unit_id", "person_id").distinct():
        members[unit_id] += 1
    classes = set(VenueUnit.objects.filter(kind="class").values_list("pk", flat=True))
    assert classes and max(members[c] for c in classes) <= 45
    person_units = at_work.filter(unit__isnull=False, venue__kind__in=unit_kinds).values("person_id").annotate(n=Count("unit_id", distinct=True))
    assert max(r["n"] for r in person_units) == 1  # one fixed unit per person
    assert VenueUnit.objects.filter(venue__kind="office", kind="room").exists()
    assert VenueUnit.objects.filter(venue__kind="cinema", name="1号厅").count() == Venue.objects.filter(kind="cinema").count()


@pytest.mark.django_db
def test_every_id_number_is_valid_and_matches_birth_date_and_sex(generated):
    rows = list(Person.objects.values_list("id_number", "birth_date", "sex", "region_path"))
    assert len({r[0] for r in rows}) == len(rows)
    districts = {r.path: r.code for r in Region.objects.filter(level=Level.DISTRICT)}
    for id_number, birth, sex, path in rows:
        assert validate_id_number(id_number) == (birth, sex)
        assert id_number[:6] == place_code_for(districts[".".join(path.split(".")[:2])], birth.year)
        seq = int(id_number[14:17]) // 2
        assert make_id_number(id_number[:6], birth, seq, sex) == id_number
    tokens = list(Person.objects.values_list("token", flat=True))
    assert len(set(tokens)) == len(tokens) and all(16 <= len(t) <= 32 for t in tokens)


@pytest.mark.django_db
def test_region_paths_and_codes_follow_parents(generated):
    regions = {r.id: r for r in Region.objects.all()}
    roots = [r for r in regions.values() if r.parent_id is None]
    assert len(roots) == 1 and roots[0].path == roots[0].code
    for r in regions.values():
        assert len(r.code) == CODE_LENGTH[r.level]
        assert r.lon is not None and 121.0 <= r.lon <= 121.9 and 31.0 <= r.lat <= 31.5
        ring = r.boundary["coordinates"][0]
        assert r.boundary["type"] == "Polygon" and ring[0] == ring[-1] and len(ring) >= 4
        if r.parent_id is not None:
            parent = regions[r.parent_id]
            assert r.level == parent.level + 1
            assert r.code.startswith(parent.code)
            assert r.path == f"{parent.path}.{r.code}"


@pytest.mark.django_db
def test_people_households_and_buildings_carry_their_grid_path(generated):
    grid_paths = dict(Region.objects.filter(level=Level.GRID).values_list("id", "path"))
    for grid_id, path, household_grid in Person.objects.values_list("grid_id", "region_path", "household__grid_id"):
        assert grid_paths[grid_id] == path and household_grid == grid_id
    for grid_id, path in Household.objects.values_list("grid_id", "region_path"):
        assert grid_paths[grid_id] == path
    for grid_id, path in Building.objects.values_list("grid_id", "region_path"):
        assert grid_paths[grid_id] == path
    assert not Unit.objects.exclude(region_path__in=list(grid_paths.values())).exists()
    sizes = Counter(Household.objects.values_list("size", flat=True))
    assert 0.18 < sizes[1] / sum(sizes.values()) < 0.32
    sizes_of = dict(Household.objects.annotate(n=Count("members")).values_list("id", "n"))
    assert all(sizes_of[h] == s for h, s in Household.objects.values_list("id", "size"))
    venue_paths = dict(Region.objects.filter(level=Level.COMMUNITY).values_list("id", "path"))
    for region_id, path in Venue.objects.values_list("region_id", "region_path"):
        assert venue_paths[region_id] == path


@pytest.mark.django_db
def test_checkins_fall_in_the_window_and_leave_after_arriving(generated):
    plan = citygen.CityPlan(people=PEOPLE, seed=11, end_date=END)
    start, end = plan.window()
    span = CheckIn.objects.aggregate(first=Min("time_in"), last=Max("time_in"))
    assert start <= span["first"] and span["last"] < end
    assert span["last"] > end - dt.timedelta(days=1)
    assert not CheckIn.objects.filter(time_out__lt=F("time_in")).exists()
    per_day = generated.checkins / PEOPLE / citygen.DAYS
    assert 1.5 <= per_day <= 2.5
    estimated = CheckIn.objects.filter(estimated=True).count() / generated.checkins
    assert 0.25 < estimated < 0.35
    workers = Person.objects.filter(workplace__isnull=False)
    assert workers.count() > PEOPLE * 0.4
    assert Person.objects.filter(infant=True, birth_date__lt=END - dt.timedelta(days=366)).count() == 0


@pytest.mark.django_db
def test_population_aggregates_roll_up(generated):
    regions = list(Region.objects.all())
    children = {}
    for r in regions:
        children.setdefault(r.parent_id, []).append(r)
    people = dict(Person.objects.values("grid_id").annotate(n=Count("id")).values_list("grid_id", "n"))
    households = dict(Household.objects.values("grid_id").annotate(n=Count("id")).values_list("grid_id", "n"))
    for r in regions:
        if r.level == Level.GRID:
            assert (r.population, r.households) == (people.get(r.id, 0), households.get(r.id, 0))
        else:
            kids = children[r.id]
            assert r.population == sum(k.population for k in kids)
            assert r.households == sum(k.households for k in kids)
    assert Region.objects.get(parent__isnull=True).population == PEOPLE


@pytest.mark.django_db
def test_it_refuses_a_second_city_without_replace(generated):
    with translation.override("en"), pytest.raises(ValueError, match="already exists"):
        citygen.generate_city(people=500, seed=1, progress=False, end_date=END)
    assert Person.objects.count() == PEOPLE


@pytest.mark.django_db
def test_same_seed_same_city_and_replace_clears_referring_rows(generated, django_user_model):
    from cordon.accounts.models import Post

    user = django_user_model.objects.create_user(username="gridworker", password="x" * 12)
    Post.objects.create(user=user, role="grid_worker", region=Region.objects.filter(level=Level.GRID).first())
    citygen.generate_city(people=300, seed=5, progress=False, end_date=END, replace=True)
    assert not Post.objects.exists() and Person.objects.count() == 300
    first = digest()
    citygen.generate_city(people=300, seed=5, progress=False, end_date=END, replace=True)
    assert digest() == first
    citygen.generate_city(people=300, seed=6, progress=False, end_date=END, replace=True)
    assert digest() != first
