"""Writes for users, posts and tokens."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from cordon.accounts.models import ApiToken, Post
from cordon.core import access, audit
from cordon.core.errors import NotFound
from cordon.core.ids import new_token


def user_create(*, actor, username: str, password: str, region, role: str, first_name: str = "",
                title: str = "", phone: str = ""):
    """Create a user holding one post; the actor must administer accounts at that region."""
    access.require(actor, "accounts.change", region.path)
    if role not in access.ROLES:
        raise ValueError(_("role: unknown role %(role)r") % {"role": role})
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, first_name=first_name)
        Post.objects.create(user=user, role=role, region=region, title=title, phone=phone)
        audit.record(actor, "user.create", user, region_path=region.path, changes={"role": role, "region": region.path})
    return user


def post_grant(*, actor, user, role: str, region, title: str = "") -> Post:
    """Give a user another post."""
    access.require(actor, "accounts.change", region.path)
    if role not in access.ROLES:
        raise ValueError(_("role: unknown role %(role)r") % {"role": role})
    with transaction.atomic():
        post, _unused = Post.objects.update_or_create(user=user, role=role, region=region, defaults={"active": True, "title": title})
        audit.record(actor, "post.grant", post, region_path=region.path, changes={"user": user.pk, "role": role})
    access.forget(user)
    return post


def token_issue(*, actor, user, name: str = "api", second_factor: bool | None = None) -> str:
    """Issue an API token for a user (themselves, or by an administrator); returns the key once.

    The token may unmask and export (CORDON_REQUIRE_2FA) when it is issued from a session verified with a second
    factor; an administrator at the console says so explicitly (`second_factor=True`, audited)."""
    if actor is None or actor.pk != user.pk:  # someone else's token: an administrator (or the cli's system actor)
        access.require(actor, "accounts.change")
    if second_factor is None:
        verified = getattr(actor, "is_verified", None)
        second_factor = bool(verified and verified())
    key = new_token(30)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=key[:8], key_hash=ApiToken.hash_key(key),
                                        second_factor=second_factor)
        audit.record(actor, "token.issue", token, changes={"user": user.pk, "name": name, "second_factor": second_factor})
    return key


def token_lookup(key: str) -> ApiToken | None:
    """The live token for a key (with its active user), or None."""
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key), revoked=False).first()
    if token is None or not token.user.is_active:
        return None
    return token


def token_user(key: str):
    """The active user owning a token key, or None."""
    token = token_lookup(key)
    return token.user if token else None


def post_paths(user) -> list[str]:
    """The regions (paths) where a user holds an active post."""
    return list(Post.objects.filter(user=user, active=True).values_list("region__path", flat=True))


def token_list(*, actor, user) -> list[ApiToken]:
    """A user's API tokens, newest first (prefix only: the key itself is never stored)."""
    if actor is None or getattr(actor, "pk", None) != user.pk:
        access.require(actor, "accounts.change")
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def token_revoke(*, actor, token_id: int, user=None) -> ApiToken:
    """Revoke one of a user's tokens (their own, or by an administrator); calls with it answer 401 from now on."""
    owner = user if user is not None else actor
    if actor is None or getattr(actor, "pk", None) != getattr(owner, "pk", None):
        access.require(actor, "accounts.change")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=owner).first()
        if token is None:
            raise NotFound(_("token: no token %(token_id)s") % {"token_id": token_id})
        if not token.revoked:
            token.revoked = True
            token.save(update_fields=["revoked"])
            audit.record(actor, "token.revoke", token, changes={"user": owner.pk, "name": token.name})
    return token
