"""Codes shown as words on the pages, in the user's language.

`{% load labels %}` then
- `{{ item.status|label:"command.LedgerStatus" }}`: the label of a choices enum of an app's enums.py;
- `{{ item|display:"status" }}`: the label of the model field's own choices (get_FOO_display), else the value;
- `{{ reason|reason_label }}`: a health-status reason (the keys of rulesets/status.json);
- `{{ colour|colour_label }}`: a health-code colour (green, yellow, red).
An unknown code is shown as it is, never hidden."""

from django import template
from django.utils.translation import gettext_lazy as _

from cordon.cases import enums as cases_enums
from cordon.checkpoints import enums as checkpoints_enums
from cordon.command import enums as command_enums
from cordon.contacts import enums as contacts_enums
from cordon.gatherings import enums as gatherings_enums
from cordon.livelihood import enums as livelihood_enums
from cordon.quarantine import enums as quarantine_enums
from cordon.screening import enums as screening_enums
from cordon.zones import enums as zones_enums

register = template.Library()

ENUMS = {"cases": cases_enums, "checkpoints": checkpoints_enums, "command": command_enums, "contacts": contacts_enums,
         "gatherings": gatherings_enums, "livelihood": livelihood_enums, "quarantine": quarantine_enums,
         "screening": screening_enums, "zones": zones_enums}

REASONS = {
    "confirmed": _("Confirmed case"),
    "asymptomatic": _("Asymptomatic infection"),
    "close_contact": _("Close contact"),
    "secondary_contact": _("Secondary close contact"),
    "centralized_quarantine": _("Centralised quarantine"),
    "home_isolation": _("Home isolation"),
    "home_monitoring": _("Home health monitoring"),
    "high_risk_arrival": _("Arrival from a high-risk area"),
    "medium_risk_arrival": _("Arrival from a medium-risk area"),
    "spacetime_companion": _("Time-space companion"),
    "missed_test": _("Missed a required test"),
    "held_positive_pool": _("Held: positive pool"),
}

COLOURS = {"green": _("Green code"), "yellow": _("Yellow code"), "red": _("Red code")}


def choices_label(choices, value):
    """The label of value among a choices enum, or the value itself."""
    for code, text in choices.choices:
        if code == value:
            return text
    return value


@register.filter
def label(value, enum: str):
    """value|label:"app.EnumName": the enum's label for this code (the code itself if unknown)."""
    app, _dot, name = enum.partition(".")
    choices = getattr(ENUMS.get(app), name, None)
    if value in (None, "") or choices is None:
        return value
    return choices_label(choices, value)


@register.filter
def display(obj, field: str):
    """obj|display:"field": the field's choices label (get_<field>_display), else the raw value."""
    getter = getattr(obj, f"get_{field}_display", None)
    if callable(getter):
        return getter()
    return obj.get(field) if isinstance(obj, dict) else getattr(obj, field, "")


@register.filter
def reason_label(value):
    """A health-status reason key as words."""
    return REASONS.get(value, value)


@register.filter
def colour_label(value):
    """A health-code colour as words (红码, 黄码, 绿码)."""
    return COLOURS.get(value, value)
