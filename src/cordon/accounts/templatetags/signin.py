"""`{% load signin %}{% oidc_button next %}`: the "sign in with the city's identity provider" button on the login page,
shown only when OpenID Connect is configured (CORDON_OIDC_*)."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("accounts/_oidc_button.html")
def oidc_button(next_url: str = ""):
    return {"enabled": settings.CORDON_OIDC_ENABLED, "provider": settings.CORDON_OIDC_PROVIDER_NAME, "next": next_url}
