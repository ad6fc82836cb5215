from django.contrib import admin

from cordon.core import pii
from cordon.people.models import Person
from cordon.web.admin import ScopedAdmin


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    """Masked in lists; the change form is a back-office fix and is audited on save."""

    list_display = ("id", "masked_name", "masked_id", "sex", "birth_date", "region_path")
    search_fields = ("=id_number", "=phone")
    raw_id_fields = ("household", "grid", "workplace")
    readonly_fields = ("token",)

    @admin.display(description="name")
    def masked_name(self, obj):
        return pii.mask_name(obj.name)

    @admin.display(description="ID number")
    def masked_id(self, obj):
        return pii.mask_id_number(obj.id_number)
