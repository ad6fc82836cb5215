"""Django admin for back-office fixes, scoped through core.access like everything else."""

from django.contrib import admin

from cordon.core import access, audit


class ScopedAdmin(admin.ModelAdmin):
    """Admin whose lists, lookups and saves are limited to the user's jurisdiction; saves are audited."""

    scope_field = "region_path"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return access.scope(qs, request.user, "view", field=self.scope_field)

    def _path(self, obj):
        node = obj
        for part in self.scope_field.split("__"):
            node = getattr(node, part, None)
        return node

    def has_view_permission(self, request, obj=None):
        perm = access.perm_for(self.model, "view")
        return access.can(request.user, perm, self._path(obj) if obj else None)

    def has_change_permission(self, request, obj=None):
        perm = access.perm_for(self.model, "change")
        return access.can(request.user, perm, self._path(obj) if obj else None) and request.user.is_staff

    def has_add_permission(self, request):
        return access.can(request.user, access.perm_for(self.model, "change")) and request.user.is_staff

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_staff and access.can(request.user, access.perm_for(self.model, "view"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(request.user, f"admin.{'change' if change else 'add'}", obj,
                     changes={k: str(form.cleaned_data.get(k)) for k in form.changed_data})

    def delete_model(self, request, obj):
        audit.record(request.user, "admin.delete", obj)
        super().delete_model(request, obj)
