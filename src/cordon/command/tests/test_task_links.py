"""Every task on the demo opens for the person it is assigned to: a walk over each task kind the demo files, as its
owner (and deputy), expecting the task page; a retest given to a sampler opens for the sampler, and the retest list
shows the people (masked) and their samples, not record numbers."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from cordon.accounts.models import Post
from cordon.command import services
from cordon.command.models import Task
from cordon.core import pii
from cordon.core.testing import SYSTEM
from cordon.screening.models import Retest

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_each_task_kind_on_the_demo_opens_for_its_owner_and_deputy_and_a_retest_for_the_sampler(monkeypatch):
    monkeypatch.setenv("CORDON_DEMO_SIM_DAYS", "1")
    call_command("demo", people=600, seed=2, quiet=True, stdout=io.StringIO())
    kinds = sorted(set(Task.objects.values_list("kind", flat=True)))
    assert {"manual", "screening.retest", "zones.confirm"} <= set(kinds), kinds
    refused = []
    for kind in kinds:
        for t in Task.objects.filter(kind=kind).exclude(owner=None).select_related("owner", "deputy")[:5]:
            for who in filter(None, (t.owner, t.deputy)):
                status = _as(who).get(f"/command/tasks/{t.pk}/").status_code
                if status != 200:
                    refused.append((kind, t.pk, who.username, status))
    assert refused == []
    assert not Task.objects.filter(status__in=("open", "in_progress"), owner=None).exists()

    # a retest handed to a sampler (a role that sees no command data) still opens for them, and they find the person
    open_tasks = Task.objects.filter(kind="screening.retest", status__in=("open", "in_progress")).values_list("pk", flat=True)
    retest = Retest.objects.filter(task_id__in=list(open_tasks)).select_related("person", "pool_tube").first()
    sampler = Post.objects.filter(role="sampler").select_related("user").first().user
    task = Task.objects.get(pk=retest.task_id)
    services.task_reassign(actor=SYSTEM, task=task, owner_id=sampler.pk)
    c = _as(sampler)
    assert c.get(f"/command/tasks/{task.pk}/").status_code == 200
    page = c.get(f"/screening/results/?round={retest.round_id}&tab=retests").content.decode()
    assert pii.mask_name(retest.person.name) in page and pii.mask_id_number(retest.person.id_number) in page
    assert retest.pool_tube.code in page and f"#{retest.person_id}<" not in page and retest.person.id_number not in page
