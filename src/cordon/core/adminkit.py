"""Django admin: a back office, not a side door.

- Scoped through core.access like everything else (lists, lookups, object permissions).
- Personal data is masked in lists and change pages for everyone (core.pii); admin search never takes an ID
  number or a phone. Unmasking is the person page's business (permission + audit entry), not the admin's.
- A model whose writes live in a service (`<app>/services.py`) or whose saves must keep derived data right
  (region paths) is read-only here (`ReadOnlyAdmin`): writes go through the services, the CLI or the API.
- What stays editable (users, posts) writes an audit entry for every add, change and delete.
"""

from django.contrib import admin

from cordon.core import access, audit, pii


def mask_birth_date(value) -> str:
    """Year only: the birth date with the visible ends of an ID number gives the whole number back."""
    return f"{value.year}-**-**" if value else ""


# Personal fields of any model, masked wherever the admin would show them.
PERSONAL = {
    "name": pii.mask_name,
    "id_number": pii.mask_id_number,
    "phone": pii.mask_phone,
    "address": pii.mask_address,
    "birth_date": mask_birth_date,
}


def _masked_column(field: str, description: str):
    """The admin column `masked_<field>`: the model's personal field masked by PERSONAL."""

    @admin.display(description=description)
    def column(self, obj):
        return self._masked(obj, field)

    column.__name__ = f"masked_{field}"
    return column


class MaskedAdmin(admin.ModelAdmin):
    """Shows the model's personal fields (`personal_fields`, masked by PERSONAL) masked and read-only; never
    searches by them. A model holding personal data declares them (a region's or venue's name is not personal)."""

    personal_fields: tuple[str, ...] = ()

    def _personal(self) -> list[str]:
        return list(self.personal_fields)

    def get_exclude(self, request, obj=None):
        return (*(super().get_exclude(request, obj) or ()), *self._personal())

    def get_fields(self, request, obj=None):
        personal = self._personal()
        fields = [f"masked_{f}" if f in personal else f for f in super().get_fields(request, obj)]
        return list(dict.fromkeys(fields))

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *(f"masked_{f}" for f in self._personal()))

    def get_search_fields(self, request):
        personal = set(self._personal())
        return [f for f in super().get_search_fields(request) if f.lstrip("=^@") not in personal]

    def _masked(self, obj, field: str) -> str:
        return PERSONAL[field](getattr(obj, field, None))

    masked_name = _masked_column("name", "name")
    masked_id_number = _masked_column("id_number", "ID number")
    masked_phone = _masked_column("phone", "phone")
    masked_address = _masked_column("address", "address")
    masked_birth_date = _masked_column("birth_date", "birth date")


class ScopedAdmin(MaskedAdmin):
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

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(request.user, "admin.delete", obj)
        super().delete_queryset(request, queryset)


class NoWrites:
    """An admin mixin that adds, changes and deletes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, ScopedAdmin):
    """Look, don't touch: the model's writes go through its services (audited, rules applied, paths kept right)."""


class SuperuserReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    """Configuration only a superuser looks at and nobody edits here (rule sets are adopted with
    `cordon rules adopt`, API tokens issued by accounts.services.token_issue)."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
