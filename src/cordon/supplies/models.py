"""Medical supply reserves: a catalogue, warehouses, an append-only stock ledger, balances, planned
testing-round demand and inter-district transfer requests.

The ledger never rewrites history: Movement rows refuse update and delete in Python and, in the
database, triggers (SQLite and PostgreSQL) refuse UPDATE and DELETE. Corrections are new `adjust` rows.
Balance is the running sum per item x warehouse, kept in the same transaction and never negative
(a CHECK constraint backs the service's refusal).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cordon.core.lifecycle import Lifecycle
from cordon.core.models import Scoped


class Category(models.TextChoices):
    MASK = "mask", _("Masks")
    SUIT = "suit", _("Protective suits")
    SWAB = "swab", _("Swabs")
    TUBE = "tube", _("Sampling tubes")
    REAGENT = "reagent", _("Reagents")
    TEST_KIT = "test_kit", _("Antigen test kits")
    MEDICINE = "medicine", _("Medicines")
    OXYGEN = "oxygen", _("Oxygen")


class MovementKind(models.TextChoices):
    IN = "in", _("Received")
    OUT = "out", _("Issued")
    TRANSFER_OUT = "transfer_out", _("Transferred out")
    TRANSFER_IN = "transfer_in", _("Transferred in")
    ADJUST = "adjust", _("Adjustment")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SHIPPED = "shipped", _("Approved and shipped")
    RECEIVED = "received", _("Received")
    REJECTED = "rejected", _("Rejected")


# A request is approved and shipped (or rejected), then booked in by the receiving warehouse. Received and rejected
# are final; a move between one's own warehouses is written received at once.
TRANSFER_LIFECYCLE = Lifecycle(_("transfer"), {
    TransferStatus.REQUESTED: [TransferStatus.SHIPPED, TransferStatus.REJECTED],
    TransferStatus.SHIPPED: [TransferStatus.RECEIVED],
    TransferStatus.RECEIVED: [],
    TransferStatus.REJECTED: [],
}, labels=TransferStatus)


class Item(models.Model):
    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    category = models.CharField(max_length=10, choices=Category.choices)
    unit = models.CharField(max_length=10, default="个")
    per_tube = models.FloatField(default=0, help_text="used per pooled tube in a testing round")
    per_person = models.FloatField(default=0, help_text="used per person sampled in a testing round")
    low_days = models.PositiveSmallIntegerField(default=7, help_text="warn below this many days of supply")

    class Meta:
        ordering = ["category", "code"]

    def __str__(self):
        return self.name


class Warehouse(Scoped):
    name = models.CharField(max_length=100)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    site = models.CharField(max_length=100, blank=True, help_text="a site store (hospital, testing site); blank for the district store")

    ACCESS_DOMAIN = "supplies"

    def __str__(self):
        return self.name


class Balance(Scoped):
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="balances")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField(default=0)

    ACCESS_DOMAIN = "supplies"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["warehouse", "item"], name="uniq_balance"),
                       models.CheckConstraint(condition=models.Q(quantity__gte=0), name="balance_not_negative")]


class Transfer(Scoped):
    """A request to move stock into a warehouse (region_path = the receiving warehouse)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    to_warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="transfers_in")
    from_warehouse = models.ForeignKey(Warehouse, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_out")
    status = models.CharField(max_length=10, choices=TransferStatus.choices, default=TransferStatus.REQUESTED, db_index=True)
    reason = models.CharField(max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    shipped_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    ACCESS_DOMAIN = "supplies"


class Movement(Scoped):
    """One ledger row. quantity is signed (issues and transfers out are negative)."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="movements")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=MovementKind.choices)
    quantity = models.BigIntegerField()
    balance_after = models.BigIntegerField()
    reason = models.CharField(max_length=300)
    transfer = models.ForeignKey(Transfer, null=True, blank=True, on_delete=models.PROTECT, related_name="movements")
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    ACCESS_DOMAIN = "supplies"

    class Meta:
        indexes = [models.Index(fields=["warehouse", "item", "at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(_("the stock ledger is append-only: record a correction instead"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(_("the stock ledger is append-only"))


class RoundDemand(Scoped):
    """Planned use by a testing round at a warehouse: people to sample and the pool size (tubes = people / pool)."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="demands")
    day = models.DateField()
    people = models.PositiveIntegerField()
    pool_size = models.PositiveSmallIntegerField(default=10)
    note = models.CharField(max_length=200, blank=True)

    ACCESS_DOMAIN = "supplies"
