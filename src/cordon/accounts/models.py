"""Posts (a role bound to a region) and API tokens."""

import hashlib

from django.conf import settings
from django.db import models

from cordon.core.access import ROLE_CHOICES


class Post(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    role = models.CharField(max_length=40, choices=ROLE_CHOICES)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "region"], name="uniq_post")]

    def __str__(self):
        return f"{self.user} {self.role}@{self.region_id}"

    @property
    def region_path(self) -> str:
        return self.region.path


class ApiToken(models.Model):
    """Bearer token; only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    # Issued from a session verified with a second factor: only such a token may unmask or export (CORDON_REQUIRE_2FA).
    second_factor = models.BooleanField(default=False)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class OidcIdentity(models.Model):
    """A person at the city's identity provider (issuer + subject), linked to one cordon user on first sign-in."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="uniq_oidc_identity")]

    def __str__(self):
        return f"{self.subject}@{self.issuer}"
