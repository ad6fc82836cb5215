"""The results page: login required, sim.view needed, lists runs imported from var/sim/."""

import json

import pytest
from django.contrib.auth import get_user_model

from cordon.accounts.models import Post
from cordon.sim import services


@pytest.fixture
def stored(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    folder = tmp_path / "sim" / "run-20260101-000000-abcd"
    folder.mkdir(parents=True)
    (folder / "run.json").write_text(json.dumps({
        "run_id": folder.name, "kind": "run", "label": "protocol-9 pool 10", "created_at": "2026-01-01T00:00:00+00:00",
        "people": 2000, "days": 5, "seconds": 3.2, "config": {}, "charts": ["epidemic.png"],
        "kpis": {"people": 2000, "days": 5, "infections": 12, "detected": 4, "tracing_recall": 0.5},
        "series": {"date": ["2026-01-01"], "infections": [3], "confirmed": [1], "occupancy": [2]}}))
    (folder / "epidemic.png").write_bytes(b"\x89PNG\r\n")
    return folder.name


@pytest.mark.django_db
def test_the_results_page_needs_a_login(client, city, stored):
    assert client.get("/sim/").status_code == 302


@pytest.mark.django_db
def test_the_commander_sees_runs_made_in_other_databases(api_client, cast, stored):
    c = api_client(cast.commander)
    page = c.get("/sim/")
    assert page.status_code == 200 and stored in page.content.decode()
    detail = c.get(f"/sim/runs/{stored}/")
    assert detail.status_code == 200 and "sim-chart" in detail.content.decode()
    assert c.get(f"/sim/runs/{stored}/charts/epidemic.png").status_code == 200
    assert c.get(f"/sim/runs/{stored}/charts/other.png").status_code == 404
    assert c.get("/sim/?export=xlsx").status_code == 200


@pytest.mark.django_db
def test_a_role_without_sim_view_is_refused(api_client, city, stored):
    user = get_user_model().objects.create_user("sampler_x", password="x")
    Post.objects.create(user=user, role="sampler", region=city.a)
    assert api_client(user).get("/sim/").status_code == 403


@pytest.mark.django_db
def test_sync_imports_each_run_file_once(cast, stored):
    assert services.runs_sync(actor=cast.commander) == 1
    assert services.runs_sync(actor=cast.commander) == 0
