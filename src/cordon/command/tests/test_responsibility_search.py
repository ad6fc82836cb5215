"""The responsibility form takes its site and area by name (the shared search), never a typed id or region path."""

import pytest

from cordon.command.models import Responsibility
from cordon.core.testing import messages_of
from cordon.quarantine.factories import SiteFactory

pytestmark = pytest.mark.django_db


def test_a_site_and_an_area_are_chosen_by_name(city, cast, api_client):
    c = api_client(cast.commander)
    site = SiteFactory(region=city.a, name="锦江隔离酒店")
    page = c.get("/command/responsibilities/").content.decode()
    assert "Region path" not in page and 'name="site" value="" data-ac-value' in page
    value = c.get("/suggest/site/", {"q": "锦江", "format": "json"}).json()["results"][0]["value"]
    c.post("/command/responsibilities/", {"object_type": "site", "site": value, "label": "锦江包保",
                                          "responsible": cast.officer_a.pk})
    r = Responsibility.objects.get(label="锦江包保")
    assert r.object_id == str(site.pk) and r.region_path == city.a.path
    area = c.get("/suggest/region/", {"q": city.a_grid.name, "format": "json"}).json()["results"]
    path = next(x["value"] for x in area if x["value"] == city.a_grid.path)
    c.post("/command/responsibilities/", {"object_type": "region", "region_path": path, "label": "网格包保",
                                          "responsible": cast.officer_a.pk})
    assert Responsibility.objects.get(label="网格包保").region_path == city.a_grid.path


def test_a_site_responsibility_without_a_chosen_site_is_refused_naming_the_field(city, cast, api_client):
    answer = api_client(cast.commander).post("/command/responsibilities/", {
        "object_type": "site", "label": "无", "responsible": cast.officer_a.pk})
    assert answer.status_code == 200 and not Responsibility.objects.filter(label="无").exists()
    assert messages_of(answer).startswith("隔离点")  # the refusal names the field, in Chinese
