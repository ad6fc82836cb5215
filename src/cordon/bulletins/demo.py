"""Demo data: yesterday's bulletin published from the figures at midnight, and today's draft."""

from cordon.bulletins import services


def seed(ctx) -> None:
    commander = ctx.accounts["commander"]
    b = services.bulletin_draft(actor=commander)
    services.bulletin_approve(actor=commander, bulletin=b)
    services.bulletin_publish(actor=commander, bulletin=b)
    draft = services.bulletin_draft(actor=commander)
    services.bulletin_edit(actor=commander, bulletin=draft, title=draft.title, body=draft.body + "\n（待审核）")
    ctx.say(f"bulletins: published #{b.pk}, draft #{draft.pk}")
