"""The periodic job, the `cordon outbox` command and the demo seeder."""

import io
import json

import pytest
from django.core.management import call_command

from cordon.core import schedule
from cordon.core.demo import DemoContext
from cordon.outbox import demo, jobs
from cordon.outbox.models import Channel, Message
from cordon.outbox.tests.factories import message_in

pytestmark = pytest.mark.django_db


def test_the_send_job_is_declared_every_minute_and_delivers_what_is_due(city):
    assert (jobs.send_due_job, 60) in jobs.PERIODIC
    assert "cordon.outbox.jobs.send_due_job" in [p.name for p in schedule.periodic()]
    m = message_in(city.a_grid, channel="log", to="值班室")
    result = jobs.send_due_job.enqueue()
    m.refresh_from_db()
    assert m.status == "sent" and result.return_value["sent"] == 1


def test_the_command_queues_a_test_message_and_sends_it(city):
    out = io.StringIO()
    call_command("outbox", "test", "log", "值班室", "--language", "en", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("queued message #") and json.loads(lines[1])["sent"] == 1
    assert Message.objects.get().status == "sent"


def test_the_demo_routes_sms_to_the_log_keeps_the_robots_disabled_and_sends_what_is_due(city, cast):
    ctx = DemoContext(seed=1, accounts={"commander": cast.commander})
    demo.seed(ctx)
    assert set(Channel.objects.filter(enabled=True).values_list("code", flat=True)) == {"sms", "log"}
    assert Channel.objects.get(code="sms").backend == "log"
    assert Message.objects.filter(status="sent").count() == 6
    assert Message.objects.get(channel="wecom").status == "queued"
    assert {m.language for m in Message.objects.filter(kind="outbox.test")} == {"zh-hans", "en"}
    assert "6 messages sent" in ctx.log[0]
