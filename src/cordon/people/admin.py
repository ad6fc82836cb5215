from django.contrib import admin

from cordon.core import pii
from cordon.core.adminkit import ReadOnlyAdmin
from cordon.people.models import Person


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Read-only and masked: residents change through people.services (import, registry), audited there.
    The person's token (it opens their health code) is not shown."""

    personal_fields = ("name", "id_number", "phone", "birth_date")
    list_display = ("id", "masked_name", "masked_id_number", "sex", "masked_birth_date", "region_path")
    list_filter = ("sex", "elderly_alone", "pregnant", "dialysis", "chronic", "disability", "infant")
    fields = ("id", "name", "id_number", "phone", "birth_date", "sex", "masked_household", "grid", "workplace", "region_path",
              "elderly_alone", "pregnant", "dialysis", "chronic", "disability", "infant", "created_at")
    readonly_fields = ("id", "masked_household", "region_path", "created_at")

    @admin.display(description="household")
    def masked_household(self, obj):
        return pii.mask_address(obj.household.address) if obj.household_id else ""
