"""Input from pages, validated in one place: Django forms whose errors name the field in the user's language, and
whose service errors land on the field the service names.

A page's POST goes through a form; the form's clean data goes to a service; the service decides:

    class SuspendForm(ServiceForm):
        reason = forms.CharField(label=_("Reason"), max_length=500)

    form = SuspendForm(request.POST)
    if form.submit(request, lambda reason: services.gathering_suspend(actor=request.user, gathering=g, reason=reason),
                   success=_("Suspended; the organizer was notified.")) is not None:
        return redirect(...)

A button that sends no input (publish, close, re-check) uses `perform(request, call, success=...)`.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordon.core import clock
from cordon.core.errors import ServiceError

REFUSED = object()  # what submit/perform return when the input or the service refused (None can be a result)


class CityDateTimeField(forms.DateTimeField):
    """A date-time typed as the city's wall time (an <input type="datetime-local">): a naive value is read in the
    city's zone, whatever zone the server runs in."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        result = super().to_python(value)
        if result is not None and timezone.is_aware(result):
            return result
        return clock.aware(result) if result is not None else None

    def prepare_value(self, value):
        return clock.local(value).strftime("%Y-%m-%dT%H:%M") if hasattr(value, "tzinfo") and value.tzinfo else value


class ServiceForm(forms.Form):
    """A form whose valid data goes to a service; a ServiceError from the service lands on the fields it names and is
    kept as `refusal` (an upload page lists every row it names: `refusal_report`)."""

    refusal: ServiceError | None = None

    def submit(self, request, call: Callable[..., Any], *, success: str | Callable[[Any], str] | None = None):
        """Validate, then `call(**cleaned_data)`. Returns the service's result, or REFUSED when the input or the
        service refused (the errors are then on the form and in the page's messages)."""
        if not self.is_valid():
            messages.error(request, self.error_summary())
            return REFUSED
        try:
            result = call(**self.cleaned_data)
        except ServiceError as exc:
            self.add_service_error(exc)
            messages.error(request, exc.message)
            return REFUSED
        if success:
            messages.success(request, success(result) if callable(success) else success)
        return result

    def refusal_report(self) -> dict | None:
        """The service's refusal as web/upload.html lists it (report.errors under report.message), or None."""
        return {"errors": self.refusal.fields, "message": self.refusal.message} if self.refusal is not None else None

    def add_service_error(self, exc: ServiceError) -> None:
        self.refusal = exc
        named = [f for f in exc.fields if f.get("field") in self.fields]
        for item in named:
            self.add_error(item["field"], item.get("message") or exc.message)
        if not named:
            self.add_error(None, exc.message)

    def error_summary(self) -> str:
        """One line naming each field that is wrong and why, in the user's language."""
        parts = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields and self.fields[name].label else name
            parts.append(f"{label}: {' '.join(str(e) for e in errors)}" if name != "__all__" else " ".join(str(e) for e in errors))
        return "; ".join(parts) or str(_("Check the form."))


def perform(request, call: Callable[[], Any], *, success: str | Callable[[Any], str] | None = None):
    """Run a service for a button that sends no input; its refusal goes to the page's messages. Returns the result,
    or REFUSED."""
    try:
        result = call()
    except ServiceError as exc:
        messages.error(request, exc.message)
        return REFUSED
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return result
