"""Choices of the quarantine app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.core.lifecycle import Lifecycle


class RequestStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PROPOSED = "proposed", _("Proposed")
    PLACED = "placed", _("Placed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_REQUEST = (RequestStatus.QUEUED, RequestStatus.PROPOSED, RequestStatus.PLACED)

# A queued request is proposed a room (and goes back to the queue when the proposal is dropped), placed (a site stay
# confirmed, a home stay started for it, or served by the same person's other placed request) or cancelled (its
# source withdrawn). Placed and cancelled are final.
REQUEST_LIFECYCLE = Lifecycle(_("placement request"), {
    RequestStatus.QUEUED: [RequestStatus.PROPOSED, RequestStatus.PLACED, RequestStatus.CANCELLED],
    RequestStatus.PROPOSED: [RequestStatus.QUEUED, RequestStatus.PLACED, RequestStatus.CANCELLED],
    RequestStatus.PLACED: [],
    RequestStatus.CANCELLED: [],
}, labels=RequestStatus)

# The categories contacts/cases hand over (RiskPerson.category), plus confirmed cases awaiting a bed
# and a manual entry by the site or district.
CATEGORIES = (
    "close_contact", "secondary_contact", "spacetime_companion", "high_risk_arrival", "medium_risk_arrival",
    "low_risk_arrival", "discharged_case", "confirmed", "asymptomatic", "manual",
)
CATEGORY_LABELS = {
    "close_contact": _("Close contact"), "secondary_contact": _("Secondary contact"),
    "spacetime_companion": _("Space-time companion"), "high_risk_arrival": _("High-risk arrival"),
    "medium_risk_arrival": _("Medium-risk arrival"), "low_risk_arrival": _("Low-risk arrival"),
    "discharged_case": _("Discharged case"), "confirmed": _("Confirmed case"), "asymptomatic": _("Asymptomatic"),
    "manual": _("Manual"),
}


class SiteStatus(models.TextChoices):
    RESERVE = "reserve", _("Reserve")
    READYING = "readying", _("Being readied")
    OPEN = "open", pgettext_lazy("quarantine site", "Open")
    FULL = "full", _("Full")
    DISINFECTION = "disinfection", _("Closed for disinfection")


# A site is readied from the reserve, opens (only with its checklist complete), fills up, and is closed for
# disinfection when empty, after which it is readied again, reopens or goes back to the reserve. A full site
# never goes straight back to the reserve, and nothing goes from disinfection to full.
SITE_LIFECYCLE = Lifecycle(_("site"), {
    SiteStatus.RESERVE: [SiteStatus.READYING, SiteStatus.OPEN],
    SiteStatus.READYING: [SiteStatus.OPEN, SiteStatus.RESERVE],
    SiteStatus.OPEN: [SiteStatus.FULL, SiteStatus.DISINFECTION, SiteStatus.READYING],
    SiteStatus.FULL: [SiteStatus.OPEN, SiteStatus.DISINFECTION],
    SiteStatus.DISINFECTION: [SiteStatus.READYING, SiteStatus.OPEN, SiteStatus.RESERVE],
}, labels=SiteStatus)

# Sites that can take people now.
TAKING = (SiteStatus.OPEN,)
# Sites whose rooms count towards the reserve (ready or quickly readied).
RESERVE_STATUSES = (SiteStatus.RESERVE, SiteStatus.READYING, SiteStatus.OPEN, SiteStatus.FULL)

READINESS_ITEMS = ("three_zones", "separate_ventilation", "contact_free_meals", "waste_handling", "staff_closed_loop",
                   "medical_post", "cctv_entrances", "assessment_passed")
READINESS_LABELS = {
    "three_zones": _("Three zones marked (quarantine, work/service, sanitation passage)"),
    "separate_ventilation": _("Ventilation of rooms separate"),
    "contact_free_meals": _("Contact-free meal delivery"),
    "waste_handling": _("Medical waste handling"),
    "staff_closed_loop": _("Staff in closed loop"),
    "medical_post": _("Medical post with doctors and nurses"),
    "cctv_entrances": _("Entrances watched"),
    "assessment_passed": _("Site assessment passed"),
}


class RoomStatus(models.TextChoices):
    FREE = "free", _("Free")
    OCCUPIED = "occupied", _("Occupied")
    DISINFECTION = "disinfection", _("Under disinfection")
    OUT = "out", _("Out of service")


class RoomKind(models.TextChoices):
    SINGLE = "single", _("Single")
    DOUBLE = "double", _("Double")
    SUITE = "suite", _("Suite")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Awaiting review")
    CONFIRMED = "confirmed", _("Confirmed")
    DISCARDED = "discarded", _("Discarded")


class StayKind(models.TextChoices):
    CENTRALIZED = "centralized", _("Centralized quarantine")
    HOME_ISOLATION = "home_isolation", _("Home isolation")
    HOME_MONITORING = "home_monitoring", _("Home health monitoring")


class StayStatus(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    IN = "in", _("In quarantine")
    RELEASED = "released", _("Released")
    TO_HOSPITAL = "to_hospital", _("Moved to hospital")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STAY = (StayStatus.EXPECTED, StayStatus.IN)

# A site stay is expected until the person checks in (a home measure starts in); a stay ends released, moved to
# hospital, or cancelled (a home measure replaced by a site). Nothing comes back from an end.
STAY_LIFECYCLE = Lifecycle(_("quarantine measure"), {
    StayStatus.EXPECTED: [StayStatus.IN, StayStatus.TO_HOSPITAL, StayStatus.CANCELLED],
    StayStatus.IN: [StayStatus.RELEASED, StayStatus.TO_HOSPITAL, StayStatus.CANCELLED],
    StayStatus.RELEASED: [],
    StayStatus.TO_HOSPITAL: [],
    StayStatus.CANCELLED: [],
}, labels=StayStatus)


class TransferDirection(models.TextChoices):
    IN = "in", _("To the site")
    HOME = "home", _("Home on release")


class TransferStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DISPATCHED = "dispatched", _("Dispatched")
    PICKED_UP = "picked_up", _("Picked up")
    ARRIVED = "arrived", _("Arrived")
    CANCELLED = "cancelled", _("Cancelled")


# A transfer is dispatched (with a vehicle), picks the person up and arrives; one not yet on the road with its
# passenger is cancelled when its stay ends first (moved to hospital). Arrived and cancelled are final.
TRANSFER_LIFECYCLE = Lifecycle(_("transfer"), {
    TransferStatus.PLANNED: [TransferStatus.DISPATCHED, TransferStatus.CANCELLED],
    TransferStatus.DISPATCHED: [TransferStatus.PICKED_UP, TransferStatus.CANCELLED],
    TransferStatus.PICKED_UP: [TransferStatus.ARRIVED],
    TransferStatus.ARRIVED: [],
    TransferStatus.CANCELLED: [],
}, labels=TransferStatus)
# The forward step of each open transfer (the "advance" button): its first allowed next status.
TRANSFER_NEXT = {s: nxt[0] for s, nxt in TRANSFER_LIFECYCLE.transitions.items() if nxt}


class TestResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    SAMPLED = "sampled", _("Sampled")
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")


SYMPTOMS = ("fever", "cough", "sore_throat", "fatigue", "loss_of_smell", "diarrhoea", "short_breath")
SYMPTOM_LABELS = {
    "fever": _("Fever"), "cough": _("Cough"), "sore_throat": _("Sore throat"), "fatigue": _("Fatigue"),
    "loss_of_smell": _("Loss of smell or taste"), "diarrhoea": _("Diarrhoea"), "short_breath": _("Short of breath"),
}
