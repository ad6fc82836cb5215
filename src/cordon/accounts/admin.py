from django.contrib import admin

from cordon.accounts.models import ApiToken, Post
from cordon.web.admin import ScopedAdmin


@admin.register(Post)
class PostAdmin(ScopedAdmin):
    list_display = ("user", "role", "region", "active")
    list_filter = ("role", "active")
    scope_field = "region__path"
    raw_id_fields = ("user", "region")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "revoked")
    readonly_fields = ("key_hash", "prefix")

    def has_module_permission(self, request):
        return request.user.is_superuser
