import random

from cordon.core.demo import DemoContext
from cordon.core.testing import SYSTEM
from cordon.people.factories import PersonFactory
from cordon.screening import demo, metrics
from cordon.screening.models import LabResult, Round


def test_the_demo_seeds_a_finished_round_and_one_in_progress(city, cast, django_capture_on_commit_callbacks):
    for _ in range(30):
        PersonFactory(grid=city.a_grid)
    for _ in range(10):
        PersonFactory(grid=city.b_grid)
    ctx = DemoContext(seed=1, accounts={"commander": cast.commander, "lab": cast.commander, "sampler_a": cast.officer_a},
                      rng=random.Random(1))
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(ctx)
    finished, running = Round.objects.order_by("id")
    assert finished.status == "closed" and running.status == "published"
    assert metrics.positives(finished, actor=SYSTEM)["positive_pools"] == 1
    assert metrics.tube_pipeline(finished, actor=SYSTEM)["tested"] == metrics.tube_pipeline(finished, actor=SYSTEM)["total"]
    assert 0 < metrics.totals(running, actor=SYSTEM)["sampled"] < metrics.totals(running, actor=SYSTEM)["roster"]
    # part of the running round's results came from a lab as an HL7 ORU^R01 batch
    assert LabResult.objects.filter(source="hl7", tube__round=running, result="negative").exists()
    assert ctx.log
