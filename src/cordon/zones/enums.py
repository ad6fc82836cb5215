from django.db import models
from django.utils.translation import gettext_lazy as _


class ZoneStatus(models.TextChoices):
    DESIGNATED = "designated", _("Designated")
    IN_FORCE = "in_force", _("In force")
    COUNTDOWN = "countdown", _("Countdown")
    ELIGIBLE = "eligible", _("Eligible to lift")
    LIFTED = "lifted", _("Lifted")
    CANCELLED = "cancelled", _("Cancelled")


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
