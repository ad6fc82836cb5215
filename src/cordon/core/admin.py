from django.contrib import admin

from cordon.core import access
from cordon.core.adminkit import ScopedAdmin, SuperuserReadOnlyAdmin
from cordon.core.models import AuditEntry, RuleSet, RuleSetAdoption


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    """Read-only: the audit log is append-only."""

    ACCESS = "audit"
    list_display = ("id", "at", "actor_label", "action", "object_type", "object_id", "region_path")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_id", "request_id")

    def has_view_permission(self, request, obj=None):
        return access.can(request.user, "audit.view")

    def has_module_permission(self, request):
        return request.user.is_staff and self.has_view_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        q = access.scope_q(request.user, "audit.view")
        return qs.none() if q is None else qs.filter(q)


@admin.register(RuleSet)
class RuleSetAdmin(SuperuserReadOnlyAdmin):
    list_display = ("code", "name", "effective_from")


@admin.register(RuleSetAdoption)
class RuleSetAdoptionAdmin(SuperuserReadOnlyAdmin):
    list_display = ("ruleset", "effective_from", "adopted_by", "adopted_at")
