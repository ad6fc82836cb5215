"""The presence pages through the shared layers: a form validates the upload, the FilterSet filters the batches page,
its export and the API alike, and a bad value is named instead of dropped."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cordon.core import clock
from cordon.core.testing import exported_rows
from cordon.people.factories import PersonFactory
from cordon.spacetime import forms
from cordon.spacetime.models import CellPresence, PresenceBatch


@pytest.fixture
def person(city):
    return PersonFactory(grid=city.a_grid)


def _load(client, person, source, hours):
    start = clock.now().replace(microsecond=0) - dt.timedelta(hours=hours)
    body = {"source": source, "items": [{"person_id": person.pk, "cell_id": "E10N10", "start": start.isoformat(),
                                         "end": (start + dt.timedelta(minutes=40)).isoformat()}]}
    assert client.post("/api/v1/spacetime/presence/bulk", data=json.dumps(body), content_type="application/json").status_code == 201


def test_an_upload_without_a_file_or_with_a_long_source_names_the_field_and_writes_nothing(api_client, cast, person):
    client = api_client(cast.officer_a)
    page = client.post("/spacetime/upload/", {"source": "mobile"})
    assert page.status_code == 200 and PresenceBatch.objects.count() == 0
    label = str(forms.UploadForm.base_fields["file"].label)
    assert any(label in str(m) for m in page.context["messages"])
    start = clock.local() - dt.timedelta(hours=5)
    upload = SimpleUploadedFile("p.csv", f"person_id,cell_id,start,end\n{person.pk},E1N1,{start:%Y-%m-%d %H:%M},"
                                         f"{start + dt.timedelta(hours=1):%Y-%m-%d %H:%M}\n".encode())
    page = client.post("/spacetime/upload/", {"file": upload, "source": "x" * 81})
    assert page.status_code == 200 and CellPresence.objects.count() == 0


def test_the_page_export_and_api_filter_the_same_way(api_client, cast, person):
    client = api_client(cast.officer_a)
    _load(client, person, "mobile-operator", 6)
    _load(client, person, "unicom", 3)
    page = client.get("/spacetime/", {"source": "unicom"})
    assert [b["batch__source"] for b in page.context["page"]] == ["unicom"]
    api = client.get("/api/v1/spacetime/batches", {"source": "unicom"}).json()
    assert api["count"] == 1 and api["items"][0]["batch__source"] == "unicom"
    assert exported_rows(client, "/spacetime/", {"source": "unicom"}) == 1
    assert client.get("/api/v1/spacetime/batches", {"area": "nowhere"}).json()["count"] == 0
