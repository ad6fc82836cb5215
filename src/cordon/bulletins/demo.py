"""Demo data: a bulletin published from the figures at midnight (or, when the demo's outbreak began only today, at
the demo's instant: a cut-off before the outbreak is refused), and a draft."""

from cordon.bulletins import services
from cordon.core import clock
from cordon.regions.selectors import root_path
from cordon.reports import metrics


def seed(ctx) -> None:
    commander = ctx.accounts["commander"]
    cut_off = services.default_cut_off()
    began = metrics.outbreak_start(region_path=root_path())
    if began is not None and cut_off < began:
        cut_off = clock.now()
    b = services.bulletin_draft(actor=commander, cut_off=cut_off)
    services.bulletin_approve(actor=commander, bulletin=b)
    services.bulletin_publish(actor=commander, bulletin=b)
    draft = services.bulletin_draft(actor=commander, cut_off=cut_off)
    services.bulletin_edit(actor=commander, bulletin=draft, title=draft.title, body=draft.body + "\n（待审核）")
    ctx.say(f"bulletins: published #{b.pk}, draft #{draft.pk}")
