"""Outbox inputs from pages: a channel's settings and a test message (validated here, decided by the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cordon.core.forms import ServiceForm
from cordon.outbox.enums import LANGUAGES, Backend, MessageFormat


class ChannelForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    backend = forms.ChoiceField(label=_("Backend"), choices=Backend.choices)
    url = forms.CharField(label=_("Gateway or webhook URL"), max_length=500, required=False)
    secret = forms.CharField(label=_("Secret or token"), max_length=300, required=False, widget=forms.PasswordInput,
                             help_text=_("Leave blank to keep the stored secret."))
    sender = forms.CharField(label=_("Sender (SMS signature, e-mail From)"), max_length=200, required=False)
    message_format = forms.ChoiceField(label=_("Format"), choices=MessageFormat.choices)
    rate_per_minute = forms.IntegerField(label=_("Messages per minute"), min_value=1, max_value=6000, initial=60)
    max_attempts = forms.IntegerField(label=_("Attempts before giving up"), min_value=1, max_value=20, initial=5)
    backoff_seconds = forms.IntegerField(label=_("First retry after (seconds)"), min_value=1, max_value=86400, initial=60)
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)


class TestMessageForm(ServiceForm):
    to = forms.CharField(label=_("Send a test to"), max_length=300,
                         help_text=_("A mobile number (SMS), an e-mail address, or \"all\" for a group robot."))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
