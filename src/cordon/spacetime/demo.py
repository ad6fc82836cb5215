"""Demo: cell presence for the residents of district A's first community (from their check-ins and
homes), so the presence pages and time-space companion identification have data. A few seconds."""

from cordon.core import access
from cordon.spacetime import services

SYSTEM = access.system("demo")  # this module's work that no user clicked

DEMO_PEOPLE = 2500


def seed(ctx) -> None:
    officer = ctx.accounts["community_a"]
    area = officer.posts.first().region
    report = services.presence_synthesize(actor=SYSTEM, region_path=area.path, person_limit=DEMO_PEOPLE, source="synthetic-demo")
    ctx.say(f"spacetime: {report['rows']:,} presence rows for {report['people']:,} residents of {area.name} "
            f"({report.get('seconds', 0):.1f} s)")
