from django.contrib import admin

from cordon.regions.models import Building, Region
from cordon.web.admin import ScopedAdmin


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    scope_field = "path"
    list_display = ("code", "name", "level", "population")
    list_filter = ("level",)
    search_fields = ("code", "name")
    exclude = ("boundary",)
    raw_id_fields = ("parent",)


@admin.register(Building)
class BuildingAdmin(ScopedAdmin):
    list_display = ("compound", "name", "community", "grid")
    search_fields = ("compound",)
    raw_id_fields = ("community", "grid")
