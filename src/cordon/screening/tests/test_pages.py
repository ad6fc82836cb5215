"""The mass-testing pages through the shared layers: forms validate the plan, the site and the retest, the FilterSets
filter the pages, their exports and the API alike, and a bad value is named instead of dropped."""

import pytest

from cordon.core.testing import assert_filter_refused, exported_rows
from cordon.people.factories import PersonFactory
from cordon.screening import forms
from cordon.screening.factories import sampled_tube
from cordon.screening.models import Round, Site

pytestmark = pytest.mark.django_db


def test_a_plan_in_another_district_or_with_a_bad_pool_names_the_field_and_writes_nothing(city, cast, api_client):
    PersonFactory(grid=city.a_grid)
    client = api_client(cast.officer_a)
    plan = {"name": "x", "region": city.b.path, "starts_at": "2026-11-29T08:00", "ends_at": "2026-11-30T08:00", "pool_size": "10"}
    answer = client.post("/screening/", plan)
    assert answer.status_code == 200 and Round.objects.count() == 0
    assert any(str(forms.PlanForm.base_fields["region"].label) in str(m) for m in answer.context["messages"])
    answer = client.post("/screening/", {**plan, "region": city.a.path, "pool_size": "0"})
    assert answer.status_code == 200 and Round.objects.count() == 0
    assert any(str(forms.PlanForm.base_fields["pool_size"].label) in str(m) for m in answer.context["messages"])


def test_a_site_with_too_many_tables_is_refused_and_unchanged(setup, cast, api_client):
    _rnd, site = setup
    answer = api_client(cast.officer_a).post(f"/screening/sites/{site.pk}/", {"name": site.name, "tables": "100000"})
    assert answer.status_code == 200 and Site.objects.get(pk=site.pk).tables == site.tables


def test_the_page_export_and_api_filter_tubes_the_same_way(setup, city, cast, api_client):
    rnd, site = setup
    code, _ = sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=2)
    sampled_tube(actor=cast.officer_a, rnd=rnd, site=site, grid=city.a_grid, n=1)
    client = api_client(cast.officer_a)
    page = client.get("/screening/results/", {"round": rnd.pk, "code": code})
    assert [t.code for t in page.context["page"]] == [code]
    assert [t["code"] for t in client.get("/api/v1/screening/tubes", {"round": rnd.pk, "code": code}).json()["items"]] == [code]
    assert exported_rows(client, "/screening/results/", {"round": rnd.pk, "code": code}) == 1
    assert_filter_refused(client, api="/api/v1/screening/tubes", page="/screening/results/", field="result", value="maybe", page_params={"round": rnd.pk})
    assert client.get("/api/v1/screening/rounds", {"status": "nonsense"}).status_code == 400


def test_a_coverage_level_that_does_not_fit_is_named_and_the_districts_are_shown(setup, cast, api_client):
    rnd, _site = setup
    page = api_client(cast.officer_a).get("/screening/coverage/", {"round": rnd.pk, "level": "9"})
    assert page.status_code == 200 and page.context["level"] == 2
    assert any(str(forms.CoverageForm.base_fields["level"].label) in str(m) for m in page.context["messages"])
