"""Account inputs from pages: naming a new API token, a second-factor code, where to go back after verifying."""

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cordon.core.forms import ServiceForm


class TokenForm(ServiceForm):
    name = forms.CharField(label=_("Name"), min_length=1, max_length=100, strip=True)


class CodeForm(ServiceForm):
    """A code from the authenticator app (6 digits) or a recovery code (8 letters and digits)."""

    code = forms.CharField(label=pgettext_lazy("one-time password", "Code"), min_length=6, max_length=20, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}))


class NextForm(forms.Form):
    """Where to go back after verifying: a path on this site (anything else is dropped)."""

    next = forms.CharField(required=False, max_length=2000)

    def target(self, request) -> str:
        back = self.cleaned_data.get("next", "") if self.is_valid() else ""
        ok = back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                                     require_https=request.is_secure())
        return back if ok else ""
