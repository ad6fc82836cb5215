"""No form asks for a region path: the pass form and the lists' area filters search the region by name (the shared
search sends the path in a hidden input), and a chosen area is shown again by its name."""

import datetime as dt

import pytest

from cordon.checkpoints.models import Pass
from cordon.core import clock

pytestmark = pytest.mark.django_db


def _minute(delta: dt.timedelta) -> str:
    return clock.local(clock.now() + delta).strftime("%Y-%m-%dT%H:%M")


def test_a_pass_is_issued_for_an_area_chosen_by_name(city, cast, api_client):
    client = api_client(cast.officer_a)
    page = client.get("/checkpoints/passes/").content.decode()
    assert "Region path" not in page and 'name="region_path" value="" data-ac-value' in page
    chosen = client.get("/suggest/region/", {"q": city.a_community.name, "format": "json"}).json()["results"]
    path = next(r["value"] for r in chosen if r["value"] == city.a_community.path)
    answer = client.post("/checkpoints/passes/", {"plate": "京A12345", "enterprise": "Grain Co", "region_path": path,
                                                  "valid_from": _minute(dt.timedelta(hours=1)),
                                                  "valid_until": _minute(dt.timedelta(hours=9))})
    assert answer.status_code == 302 and Pass.objects.get().region_path == city.a_community.path
    missing = client.post("/checkpoints/passes/", {"plate": "京A54321", "enterprise": "Grain Co", "region_path": "",
                                                   "valid_from": _minute(dt.timedelta(hours=1)),
                                                   "valid_until": _minute(dt.timedelta(hours=9))})
    assert missing.status_code == 200 and "region_path" in missing.context["form"].errors


@pytest.mark.parametrize("url", ["/checkpoints/", "/cases/", "/command/tasks/", "/command/ledger/", "/quarantine/sites/"])
def test_list_area_filters_search_by_name_and_show_the_chosen_area_by_name(city, cast, api_client, url):
    client = api_client(cast.commander)
    html = client.get(url, {"region": city.a.path}).content.decode()
    assert "Region path" not in html
    assert f'name="region" value="{city.a.path}" data-ac-value' in html and f'value="{city.a.name}"' in html
