from django.contrib import admin

from cordon.core.adminkit import ReadOnlyAdmin
from cordon.venues.models import Venue


@admin.register(Venue)
class VenueAdmin(ReadOnlyAdmin):
    """Read-only: venues change through venues.services (closures, scans), audited there."""

    list_display = ("code", "name", "kind", "region_path", "is_open")
    list_filter = ("kind", "is_open")
    search_fields = ("code", "name")
    raw_id_fields = ("region",)
