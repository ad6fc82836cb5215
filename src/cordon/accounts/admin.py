"""Users and posts stay manageable in the back office; every add, change, password change and delete of
either writes an audit entry. API tokens and identity-provider links are read-only here (issued by
accounts.services.token_issue, made by accounts.oidc). Second-factor devices are not shown (their secrets stay out of
the admin); the user list's action "Reset two-factor" removes a user's devices, audited (accounts.twofactor.reset)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cordon.accounts import twofactor
from cordon.accounts.models import ApiToken, OidcIdentity, Post
from cordon.core import audit
from cordon.core.adminkit import ScopedAdmin, SuperuserReadOnlyAdmin
from cordon.core.errors import ServiceError

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


@admin.register(OidcIdentity)
class OidcIdentityAdmin(SuperuserReadOnlyAdmin):
    list_display = ("user", "issuer", "subject", "created_at")


for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    """Django's user admin; every write is audited (which fields changed, never the password)."""

    actions = ["reset_second_factor"]

    @admin.action(description=gettext_lazy("Reset two-factor (the user sets up the authenticator again)"))
    def reset_second_factor(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                twofactor.reset(actor=request.user, user=user)
                done += 1
            except (ServiceError, PermissionDenied, Http404) as exc:
                self.message_user(request, f"{user.username}: {exc}", messages.ERROR)
        self.message_user(request, _("Two-factor reset for %(count)s users.") % {"count": done}, messages.SUCCESS)

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
