"""Background jobs for the twin: each drill runs as its own task (cordon.sim.drills.drill_run_job); a periodic
sweep fails drills whose worker died, so the HQ is never blocked from starting another."""

from django.tasks import task

from cordon.core import access
from cordon.sim import drills


@task
def drills_reap_job() -> int:
    return drills.drills_reap(actor=access.system("scheduler"))


# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (drills_reap_job, 300),
]
