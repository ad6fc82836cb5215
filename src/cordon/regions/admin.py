from django.contrib import admin

from cordon.core.adminkit import ReadOnlyAdmin
from cordon.regions.models import Building, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    """Read-only: the region tree and its materialised paths change with `cordon city` and the generator, never by hand."""

    scope_field = "path"
    list_display = ("code", "name", "level", "population")
    list_filter = ("level",)
    search_fields = ("code", "name")
    exclude = ("boundary",)
    raw_id_fields = ("parent",)


@admin.register(Building)
class BuildingAdmin(ReadOnlyAdmin):
    list_display = ("compound", "name", "community", "grid")
    search_fields = ("compound",)
    raw_id_fields = ("community", "grid")
