"""Kinds and statuses of household needs, emergencies, incidents, supply points and enterprises."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedKind(models.TextChoices):
    FOOD = "food", _("Food")
    MEDICINE = "medicine", _("Medicine")
    NECESSITIES = "necessities", _("Daily necessities")
    ELDERLY_CARE = "elderly_care", _("Elderly care")
    BABY_SUPPLIES = "baby_supplies", _("Baby supplies")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ASSIGNED = "assigned", _("Assigned")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Channel(models.TextChoices):
    GRID = "grid", _("Grid worker")
    PORTAL = "portal", _("Resident portal")
    HOTLINE = "hotline", _("Hotline")
    API = "api", _("API")


class EmergencyKind(models.TextChoices):
    DIALYSIS = "dialysis", _("Dialysis")
    PREGNANCY = "pregnancy", _("Pregnancy")
    CHEST_PAIN = "chest_pain", _("Chest pain")
    CHEMOTHERAPY = "chemotherapy", _("Chemotherapy")
    ACUTE_ILLNESS = "acute_illness", _("Acute illness")
    CHILD_FEVER = "child_fever", _("Child with fever")


class EmergencyStatus(models.TextChoices):
    OPEN = "open", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISPATCHED = "dispatched", _("Dispatched")
    CLOSED = "closed", _("Closed")


class DispatchKind(models.TextChoices):
    AMBULANCE = "ambulance", _("Ambulance (120)")
    HOSPITAL = "hospital", _("Hospital transfer")
    DOCTOR = "doctor", _("Doctor visit")


class IncidentKind(models.TextChoices):
    HEATING = "heating", _("Heating")
    WATER = "water", _("Water")
    POWER = "power", _("Power")
    GAS = "gas", _("Gas")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")


class SupplyPointKind(models.TextChoices):
    SUPERMARKET = "supermarket", _("Supermarket")
    WHOLESALE = "wholesale", _("Wholesale market")
    PHARMACY = "pharmacy", _("Pharmacy")
    STATION = "station", _("Distribution station")


class StockLevel(models.TextChoices):
    AMPLE = "ample", _("Ample")
    TIGHT = "tight", _("Tight")
    OUT = "out", _("Out of stock")


class Sector(models.TextChoices):
    UTILITIES = "utilities", _("Utilities")
    MEDICAL = "medical", _("Medical")
    FOOD = "food", _("Food")
    LOGISTICS = "logistics", _("Logistics")
    KEY_INDUSTRY = "key_industry", _("Key industry")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Running")
    ENDED = "ended", _("Ended")


class StaffRole(models.TextChoices):
    STAFF = "staff", _("Staff")
    DRIVER = "driver", _("Driver")
