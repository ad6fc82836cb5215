"""Navigation: the six areas of work and the command centre, filtered by what the user may see."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from cordon.core import access

NAV = [
    (_("Outbreak response"), [
        (_("Cases"), "cases:index", "cases.view"),
        (_("Close contacts"), "contacts:index", "contacts.view"),
        (_("Cell presence"), "spacetime:index", "spacetime.view"),
        (_("Early warning"), "surveillance:index", "surveillance.view"),
        (_("Health status"), "status:index", "status.view"),
        (_("Self-reports"), "selfreport:index", "selfreport.view"),
        (_("Assistance requests"), "assist:index", "assist.view"),
    ]),
    (_("Area control"), [
        (_("Quarantine sites"), "quarantine:index", "quarantine.view"),
        (_("Zones"), "zones:index", "zones.view"),
        (_("Grid work"), "community:index", "community.view"),
        (_("Gate check"), "community:gate", "community.view"),
    ]),
    (_("Stop the spread"), [
        (_("Checkpoints"), "checkpoints:index", "checkpoints.view"),
        (_("Venues"), "venues:index", "venues.view"),
        (_("Gatherings"), "gatherings:index", "gatherings.view"),
        (_("Key workers and drivers"), "keyworkers:index", "keyworkers.view"),
    ]),
    (_("Reserves"), [
        (_("Quarantine reserve"), "quarantine:reserves", "quarantine.view"),
        (_("Medical supplies"), "supplies:index", "supplies.view"),
        (_("Personnel"), "workforce:index", "workforce.view"),
    ]),
    (_("Mass testing"), [
        (_("Rounds"), "screening:index", "screening.view"),
        (_("Coverage"), "screening:coverage", "screening.view"),
        (_("Lab results"), "screening:results", "screening.view"),
    ]),
    (_("Livelihood"), [
        (_("Household needs"), "livelihood:index", "livelihood.view"),
        (_("Emergency medical"), "livelihood:emergencies", "livelihood.view"),
        (_("Key enterprises"), "livelihood:enterprises", "livelihood.view"),
    ]),
    (_("Command"), [
        (_("Command dashboard"), "reports:index", "command.view"),
        (_("My work"), "command:my_work", "regions.view"),  # every signed-in officer: what I answer for
        (_("Tasks"), "command:tasks", "command.view"),
        (_("On duty now"), "command:on_duty", "command.view"),
        (_("Supervision ledger"), "command:ledger", "command.view"),
        (_("Dispatch"), "command:dispatch", "command.view"),
        (_("Daily reports"), "reports:reports", "command.view"),
        (_("Bulletins"), "bulletins:index", "bulletins.view"),
        (_("Documents"), "documents:index", "documents.view"),
        (_("Notifications"), "outbox:index", "outbox.view"),
        (_("Simulation"), "sim:index", "sim.view"),
    ]),
    (_("Registry"), [
        (_("Residents"), "web:people", "people.view"),
        (_("Regions"), "web:regions", "regions.view"),
        (_("Questionnaires"), "questionnaires:index", "questionnaires.view"),
    ]),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    sections = []
    for title, items in NAV:
        links = []
        for label, name, perm in items:
            url = _url(name)
            if url and access.can(user, perm):
                links.append({"label": label, "url": url, "active": request.path.startswith(url) and url != "/"})
        if links:
            sections.append({"title": title, "links": links})
    posts = [{"role": access.ROLES[r].label if r in access.ROLES else r, "path": p} for r, p in access.posts(user)]
    return {"nav": sections, "my_posts": posts}
