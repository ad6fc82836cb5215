"""Sign-in with the city's identity provider (OpenID Connect, mozilla-django-oidc): the provider's claims become
cordon posts.

The claims (ID token and userinfo, userinfo winning) that cordon reads:
- `sub` (with the issuer): who the person is; linked once to a cordon user (OidcIdentity), never matched by e-mail;
- `preferred_username` (else `sub`): the cordon user name on first sign-in; `name`, `email` kept up to date;
- `cordon_posts`: a list of {"role": "<role code>", "region": "<region code or path>", "title": "..."}, and/or
- `groups`: entries "cordon:<role code>:<region code>" (other groups are ignored).
The posts named are the user's active posts after each sign-in: new ones are granted, missing ones deactivated
(the provider is the source of truth for a user it signs in). An unknown role or region, or no post at all,
refuses the sign-in with a message saying which; every sign-in and refusal is audited.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from cordon.accounts.models import OidcIdentity, Post
from cordon.core import access, audit

POSTS_CLAIM = "cordon_posts"
GROUPS_CLAIM = "groups"
GROUP_PREFIX = "cordon:"
SYSTEM = access.system("oidc")


class Refused(Exception):
    """Claims cordon cannot map: the message says which and why, in the user's language."""


def _regions():
    # the region model as accounts' own Post names it (accounts and regions sit side by side: neither imports the other)
    return Post._meta.get_field("region").related_model.objects


def wanted_posts(claims: dict) -> list[tuple[str, object, str]]:
    """(role, region, title) for every post the claims name; Refused on an unknown role or region, or none at all."""
    named: list[tuple[str, str, str]] = []
    for item in claims.get(POSTS_CLAIM) or []:
        if not isinstance(item, dict):
            raise Refused(_("%(claim)s: each entry must be an object with role and region") % {"claim": POSTS_CLAIM})
        named.append((str(item.get("role") or ""), str(item.get("region") or ""), str(item.get("title") or "")[:120]))
    for group in claims.get(GROUPS_CLAIM) or []:
        if isinstance(group, str) and group.startswith(GROUP_PREFIX):
            parts = group[len(GROUP_PREFIX):].split(":", 1)
            named.append((parts[0], parts[1] if len(parts) > 1 else "", ""))
    if not named:
        raise Refused(_("Your identity provider account holds no cordon post (claim %(claim)s or groups cordon:<role>:<region>); "
                        "ask your administrator.") % {"claim": POSTS_CLAIM})
    posts, seen = [], set()
    for role, where, title in named:
        if role not in access.ROLES:
            raise Refused(_("role: unknown role %(role)r from the identity provider") % {"role": role})
        region = _regions().filter(Q(code=where) | Q(path=where)).first() if where else None
        if region is None:
            raise Refused(_("region: unknown region %(region)r from the identity provider") % {"region": where})
        if (role, region.pk) not in seen:
            seen.add((role, region.pk))
            posts.append((role, region, title))
    return posts


def sign_in(*, issuer: str, claims: dict):
    """The cordon user for these claims, created or updated, with the posts they name (audited)."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise Refused(_("sub: the identity provider sent no subject"))
    posts = wanted_posts(claims)
    User = get_user_model()
    with transaction.atomic():
        link = OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
        created = link is None
        if created:
            username = str(claims.get("preferred_username") or subject)[:150]
            if User.objects.filter(username=username).exists():
                raise Refused(_("user name: %(username)s is already a cordon account that this identity is not linked to; "
                                "ask your administrator.") % {"username": username})
            user = User.objects.create_user(username=username, password=None)
            link = OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        user = link.user
        if not user.is_active:
            raise Refused(_("Your cordon account is disabled."))
        names = str(claims.get("name") or "")
        user.first_name = names[:150] or user.first_name
        user.email = str(claims.get("email") or user.email)[:254]
        user.save(update_fields=["first_name", "email"])
        keep, granted = set(), []
        for role, region, title in posts:
            post, made = Post.objects.get_or_create(user=user, role=role, region=region, defaults={"title": title})
            if made or not post.active or (title and post.title != title):
                post.active, post.title = True, title or post.title
                post.save(update_fields=["active", "title"])
                granted.append(f"{role}@{region.path}")
            keep.add(post.pk)
        ended = [f"{p.role}@{p.region.path}" for p in Post.objects.filter(user=user, active=True).exclude(pk__in=keep)
                 .select_related("region")]
        Post.objects.filter(user=user, active=True).exclude(pk__in=keep).update(active=False)
        audit.record(SYSTEM, "oidc.signin", user, region_path=posts[0][1].path,
                     changes={"username": user.username, "issuer": issuer, "subject": subject, "created": created,
                              "posts": [f"{r}@{g.path}" for r, g, _t in posts], "granted": granted, "ended": ended})
    access.forget(user)
    return user


class PostsBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow; the user and their posts come from `sign_in`."""

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        issuer = settings.OIDC_OP_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation(f"ID token issuer {payload.get('iss')!r} is not {issuer!r}")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        issuer = str(payload.get("iss") or settings.OIDC_OP_ISSUER or settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
        try:
            return sign_in(issuer=issuer, claims=claims)
        except Refused as exc:
            message = str(exc)
            audit.record(SYSTEM, "oidc.refused", object_type="auth.user", object_id=str(claims.get("sub") or "")[:64],
                         changes={"issuer": issuer, "subject": str(claims.get("sub") or ""), "reason": message,
                                  "username": str(claims.get("preferred_username") or "")})
            if self.request is not None:
                messages.error(self.request, message)
            raise PermissionDenied(message) from None
