"""Users and posts stay manageable in the back office; every add, change, password change and delete of
either writes an audit entry. API tokens are read-only here (issued by accounts.services.token_issue)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from cordon.accounts.models import ApiToken, Post
from cordon.core import audit
from cordon.core.adminkit import ScopedAdmin, SuperuserReadOnlyAdmin

User = get_user_model()
# Never written to the audit log, even as "changed".
_SECRET_FIELDS = {"password", "password1", "password2", "usable_password"}


@admin.register(Post)
class PostAdmin(ScopedAdmin):
    personal_fields = ("phone",)
    list_display = ("user", "role", "region", "active", "masked_phone")
    list_filter = ("role", "active")
    scope_field = "region__path"
    raw_id_fields = ("user", "region")


@admin.register(ApiToken)
class ApiTokenAdmin(SuperuserReadOnlyAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked")
    exclude = ("key_hash",)


admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    """Django's user admin; every write is audited (which fields changed, never the password)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [f for f in form.changed_data if f not in _SECRET_FIELDS]
        audit.record(request.user, f"admin.{'change' if change else 'add'}", obj,
                     changes={"username": obj.username, "fields": changed,
                              **{f: str(form.cleaned_data.get(f)) for f in changed if f in ("is_active", "is_staff", "is_superuser")}})

    def delete_model(self, request, obj):
        audit.record(request.user, "admin.delete", obj, changes={"username": obj.username})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(request.user, "admin.delete", obj, changes={"username": obj.username})
        super().delete_queryset(request, queryset)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            audit.record(request.user, "admin.password", user, changes={"username": user.username})
        return response
