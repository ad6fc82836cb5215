from django.db import models
from django.utils.translation import gettext_lazy as _

from cordon.keyworkers.enums import PASS_REASONS


class CheckpointKind(models.TextChoices):
    ROAD = "road", _("Road")
    RAIL = "rail", _("Railway station")
    AIRPORT = "airport", _("Airport")
    BUS_STATION = "bus_station", _("Bus station")
    VILLAGE_ENTRANCE = "village_entrance", _("Village entrance")


class Subject(models.TextChoices):
    PERSON = "person", _("Person")
    VEHICLE = "vehicle", _("Vehicle")


class Direction(models.TextChoices):
    IN = "in", _("Inward")
    OUT = "out", _("Outward")


class Result(models.TextChoices):
    PASS = "pass", _("Pass")
    HOLD = "hold", _("Hold")
    REDIRECT = "redirect", _("Redirect")


# Reason codes shared by the Python and the offline JavaScript verifier (keep both in step).
REASONS = {
    "ok": _("Valid code, recent negative test"),
    "green_lane": _("Key-supply vehicle with a valid pass"),
    "malformed": _("Not a health code"),
    "unknown_key": _("Signed by an unknown key"),
    "forged": _("Forged or tampered code"),
    "expired": _("Code expired: refresh it"),
    "not_yet_valid": _("Code issued in the future"),
    "colour_red": _("Red code"),
    "colour_yellow": _("Yellow code"),
    "origin_risk_area": _("Arriving from a risk area"),
    "no_test": _("No negative test on record"),
    "test_too_old": _("Negative test too old for this checkpoint"),
    "pass_invalid": _("Pass invalid, expired or for another vehicle"),
    "manual": _("Officer's decision"),
    "no_exit": _("May not leave: a case, under quarantine measures or living in a sealed zone. For a medical emergency, "
                 "childbirth or dialysis ask the street or district officer on duty (or the command centre) to override "
                 "this inspection with a reason"),
    **PASS_REASONS,  # a key worker's or freight driver's pass (keyworkers)
}
