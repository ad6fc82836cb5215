"""Kinds and states of official documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    QUARANTINE_NOTICE = "quarantine_notice", _("Quarantine notice")
    RELEASE_CERTIFICATE = "release_certificate", _("Release certificate")
    ZONE_NOTICE = "zone_notice", _("Sealed-zone notice")
    ZONE_LIFTING = "zone_lifting", _("Zone lifting notice")


class DocStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")


class Record(models.TextChoices):
    """The record a document is issued from."""

    RISK = "risk", _("Risk person")
    STAY = "stay", _("Quarantine stay")
    ZONE = "zone", _("Zone")


# Which kinds each record can give, and the permission to issue them (the record's domain).
KINDS_OF = {
    Record.RISK: (Kind.QUARANTINE_NOTICE, Kind.RELEASE_CERTIFICATE),
    Record.STAY: (Kind.QUARANTINE_NOTICE, Kind.RELEASE_CERTIFICATE),
    Record.ZONE: (Kind.ZONE_NOTICE, Kind.ZONE_LIFTING),
}
DOMAIN_OF = {Record.RISK: "contacts", Record.STAY: "quarantine", Record.ZONE: "zones"}

# The stated values as pages name them.
FIELD_LABELS = {
    "person_name": _("Name"), "id_number": _("ID number"), "measure": _("Measure"), "place": _("Place"),
    "start": _("From"), "end": _("Until"), "reason": _("Reason"), "zone_name": _("Zone"), "zone_kind": _("Zone kind"),
    "area": _("Area"), "in_force_on": _("In force from"), "measures": _("Measures"), "hotline": _("Hotline"),
    "designated_on": _("Designated on"), "lifted_on": _("Lifted on"),
}
