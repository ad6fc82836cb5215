from django.db import models
from django.utils.translation import gettext_lazy as _

from cordon.core.lifecycle import Lifecycle


class ZoneStatus(models.TextChoices):
    DESIGNATED = "designated", _("Designated")
    IN_FORCE = "in_force", _("In force")
    COUNTDOWN = "countdown", _("Countdown")
    ELIGIBLE = "eligible", _("Eligible to lift")
    LIFTED = "lifted", _("Lifted")
    CANCELLED = "cancelled", _("Cancelled")


# Every status move of a zone. A designated (proposed) zone is confirmed into force or cancelled. In force, the daily
# evaluation moves it to countdown from the day after it took effect and between countdown and eligible as the
# criteria hold; a new positive (escalate, restart), lowering to a milder kind or a later case moving its clock
# start puts it back in force; it is lifted from any of the three (lifting checks the criteria). Lifted and
# cancelled are final. A move to the same status (a restart while in force) is no move and is not checked.
ZONE_LIFECYCLE = Lifecycle(_("zone"), {
    ZoneStatus.DESIGNATED: [ZoneStatus.IN_FORCE, ZoneStatus.CANCELLED],
    ZoneStatus.IN_FORCE: [ZoneStatus.COUNTDOWN, ZoneStatus.ELIGIBLE, ZoneStatus.LIFTED],
    ZoneStatus.COUNTDOWN: [ZoneStatus.ELIGIBLE, ZoneStatus.IN_FORCE, ZoneStatus.LIFTED],
    ZoneStatus.ELIGIBLE: [ZoneStatus.COUNTDOWN, ZoneStatus.IN_FORCE, ZoneStatus.LIFTED],
    ZoneStatus.LIFTED: [],
    ZoneStatus.CANCELLED: [],
}, labels=ZoneStatus)
# The moves an officer makes by hand (a part of ZONE_LIFECYCLE): confirm or cancel a designated zone, lift one in
# force. The zone page offers a button for each step allowed from the zone's status (HAND_VERBS names it).
ZONE_HAND_LIFECYCLE = Lifecycle(_("zone"), {
    ZoneStatus.DESIGNATED: [ZoneStatus.IN_FORCE, ZoneStatus.CANCELLED],
    ZoneStatus.IN_FORCE: [ZoneStatus.LIFTED],
    ZoneStatus.COUNTDOWN: [ZoneStatus.LIFTED],
    ZoneStatus.ELIGIBLE: [ZoneStatus.LIFTED],
    ZoneStatus.LIFTED: [],
    ZoneStatus.CANCELLED: [],
}, labels=ZoneStatus)
HAND_VERBS = {ZoneStatus.IN_FORCE: "confirm", ZoneStatus.CANCELLED: "cancel", ZoneStatus.LIFTED: "lift"}

# A zone holds its households from designation until it is lifted or cancelled.
ACTIVE = (ZoneStatus.DESIGNATED, ZoneStatus.IN_FORCE, ZoneStatus.COUNTDOWN, ZoneStatus.ELIGIBLE)
# Published and counted as risk areas.
ENFORCED = (ZoneStatus.IN_FORCE, ZoneStatus.COUNTDOWN, ZoneStatus.ELIGIBLE)


class PickType(models.TextChoices):
    UNIT = "unit", _("Unit")
    BUILDING = "building", _("Building")
    COMPOUND = "compound", _("Compound")
    GRID = "grid", _("Grid")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    POLYGON = "polygon", _("Polygon on the map")
    DISTRICT_REST = "district_rest", _("Rest of the district")


class Origin(models.TextChoices):
    MANUAL = "manual", _("Drawn by an officer")
    CASE = "case", _("Proposed for a confirmed case")
