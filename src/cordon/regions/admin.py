from django.contrib import admin

from cordon.core.adminkit import ReadOnlyAdmin
from cordon.regions.models import Building, Region, RegionHistory


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    """Read-only: the region tree and its materialised paths change with `cordon city`, the generator and
    `cordon regions import` (official codes), never by hand."""

    scope_field = "path"
    list_display = ("code", "name", "level", "population")
    list_filter = ("level",)
    search_fields = ("code", "name")
    exclude = ("boundary",)
    raw_id_fields = ("parent",)


@admin.register(RegionHistory)
class RegionHistoryAdmin(ReadOnlyAdmin):
    """What imports of official division codes changed (created, renamed, abolished, restored): `cordon regions import`."""

    scope_field = "region__path"
    list_display = ("code", "change", "old_name", "new_name", "on", "source")
    list_filter = ("change",)
    search_fields = ("code", "old_name", "new_name")
    raw_id_fields = ("region",)


@admin.register(Building)
class BuildingAdmin(ReadOnlyAdmin):
    list_display = ("compound", "name", "community", "grid")
    search_fields = ("compound",)
    raw_id_fields = ("community", "grid")
