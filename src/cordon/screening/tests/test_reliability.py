"""Crash and retry: the production server (gunicorn, config.wsgi) is killed with SIGKILL in the middle
of bulk sample uploads, restarted, and every batch is sent again with its Idempotency-Key. Every batch
acknowledged before the crash must be stored, and no sample may be stored twice.

On SQLite the migrated test database is copied to a temporary file the server opens; on PostgreSQL
the server uses the test database itself. Runs in the normal suite."""

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from cordon.accounts import services as account_services
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.screening.factories import make_round, make_site

BATCH = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp_path: Path) -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        target = tmp_path / "server.sqlite3"
        connection.ensure_connection()
        dst = sqlite3.connect(target)
        connection.connection.backup(dst)
        dst.close()
        return f"sqlite:///{target}"
    return f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "CORDON_LOG_LEVEL": "ERROR", "CORDON_TESTING": "0",
           "CORDON_TEST_DB_NAME": ""}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                             "--workers", "2", "--timeout", "60", "--log-level", "error"],
                            cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 180  # a loaded 2-core machine can take a minute to import Django
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/api/v1/ping")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    _kill(proc)
    raise AssertionError("the server did not start")


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


def _post(port: int, token: str, round_id: int, key: str, items: list[dict]) -> int:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", f"/api/v1/screening/rounds/{round_id}/samples", body=json.dumps({"items": items}),
              headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key})
    resp = c.getresponse()
    resp.read()
    return resp.status


def _stored(url: str, round_id: int) -> list[int]:
    if url.startswith("sqlite:///"):
        con = sqlite3.connect(url[len("sqlite:///"):])
        try:
            return [r[0] for r in con.execute("SELECT person_id FROM screening_sample WHERE round_id = ?", (round_id,))]
        finally:
            con.close()
    from cordon.screening.models import Sample

    return list(Sample.objects.filter(round_id=round_id).values_list("person_id", flat=True))


@pytest.mark.django_db(transaction=True)
def test_killing_the_server_mid_upload_keeps_every_acknowledged_batch_and_stores_nothing_twice(city, cast, tmp_path):
    rnd = make_round(region=city.a)
    site = make_site(rnd=rnd, community=city.a_community, grids=[city.a_grid])
    people = [PersonFactory(grid=city.a_grid) for _ in range(160)]
    token = account_services.token_issue(actor=SYSTEM, user=cast.officer_a, name="reliability")
    batches = [(f"batch-{n}", [{"person": p.id_number, "tube": f"REL{n:05d}", "site": site.pk} for p in people[i:i + BATCH]])
               for n, i in enumerate(range(0, len(people), BATCH))]
    url = _database_url(tmp_path)
    port = _free_port()
    server = _start(url, port)
    acked: list[str] = []
    failed: list[str] = []
    killed = threading.Event()

    def upload():
        for key, items in batches:
            try:
                status = _post(port, token, rnd.pk, key, items)
            except (OSError, http.client.HTTPException):
                failed.append(key)
                continue
            (acked if status == 201 else failed).append(key)
            if len(acked) == 4 and not killed.is_set():
                killed.set()
                _kill(server)  # SIGKILL the whole server while uploads are still coming

    try:
        worker = threading.Thread(target=upload)
        worker.start()
        worker.join(timeout=120)
        assert killed.is_set(), "the server was never killed"
        assert failed, "uploads after the crash should have failed"
        before_retry = set(_stored(url, rnd.pk))
        for key in acked:
            members = {p["person"] for p in dict(batches)[key]}
            assert members <= {p.id_number for p in people if p.pk in before_retry}, f"{key} was acknowledged but not stored"
        server = _start(url, port)
        for key, items in batches:
            assert _post(port, token, rnd.pk, key, items) == 201, key
    finally:
        _kill(server)
    stored = _stored(url, rnd.pk)
    assert len(stored) == len(people), "every person sampled exactly once after the retries"
    assert len(set(stored)) == len(stored), "no sample stored twice"
