"""Demo seeding: the demo city starts mid-outbreak. A twin run (cordon.sim.twin) over the last
CORDON_DEMO_SIM_DAYS days (default 6, 0 to skip) of the city's check-in window, ending yesterday,
is kept: its cases, contacts, measure plans, placement queue, site stays, screening rounds, tubes and
status colours are the demo's, all made through the services, coherent with the check-ins."""

import os

from cordon.regions.models import Region
from cordon.sim import charts, services, twin


def seed(ctx) -> None:
    measured = services.measured_install(actor=ctx.accounts.get("commander"))
    ctx.say(f"simulation: {len(measured)} measured scenarios on the drills page ({', '.join(r.run_id for r in measured)})")
    days = int(os.environ.get("CORDON_DEMO_SIM_DAYS", "6"))
    if days <= 0:
        ctx.say("simulation: skipped (CORDON_DEMO_SIM_DAYS=0)")
        return
    root = Region.objects.filter(parent__isnull=True).first()
    people = root.population if root else 0
    cfg = twin.Config(people=people, days=days, seed=ctx.seed, index_cases=3,
                      start_day=-1 - days, progress=False)
    out = twin.run(cfg, keep=True, actor=ctx.accounts.get("commander"))
    run_id = services.new_run_id("demo")
    names = charts.png_run(out.series, services.runs_dir() / run_id, title=f"demo outbreak, {days} days")
    services.run_store(run_id=run_id, kind="demo", label=f"demo outbreak, last {days} days", people=out.kpis["people"],
                       days=days, seconds=out.seconds, config={**out.config, "truth": out.truth}, kpis=out.kpis,
                       series=out.series, charts=names)
    k = out.kpis
    ctx.say(f"simulation: {days} days of outbreak ending yesterday: {k['infections']} infections, {k['detected']} cases, "
            f"{k['risk_persons']} contacts, {k['placed']} placed ({out.seconds:.0f} s)")
