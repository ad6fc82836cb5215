"""The outbreak measurement of a finished run as the HQ reads it (drill and run pages): how many infections the
response averted (with its spread over seeds), where contact tracing missed (recall and precision by setting,
delays from infection), which resource limited the placement delay, and each target met or what would close it.
Reads the run's stored KPIs only (cordon.sim.kpis.truth_measures, cordon.sim.gaps)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SETTING_LABELS = {
    "home": gettext_lazy("Household"), "workplace": gettext_lazy("Workplace"), "school": gettext_lazy("School"),
    "venue": gettext_lazy("Venue check-in"), "transport": gettext_lazy("Transport"),
    "companion": gettext_lazy("Time-space companion"), "other": gettext_lazy("Other (named, entered by hand)"),
}
STEP_LABELS = {
    "confirmed": gettext_lazy("Infection -> confirmed"), "identified": gettext_lazy("Infection -> identified"),
    "notified": gettext_lazy("Infection -> notified (health code)"),
    "measures": gettext_lazy("Infection -> in a site or home measures"),
}
STAGE_LABELS = {
    "tracers": gettext_lazy("Tracers (confirmation -> decision)"),
    "rooms": gettext_lazy("Rooms (decision -> room assigned)"),
    "transport": gettext_lazy("Transport (room assigned -> arrival)"),
    "total": gettext_lazy("Confirmation -> in a site"),
}
RESOURCE_LABELS = {
    "tracers": gettext_lazy("tracers"), "rooms": gettext_lazy("quarantine rooms"), "transport": gettext_lazy("transport"),
    "lab": gettext_lazy("lab and screening (detection)"), "home_measures": gettext_lazy("home measures"),
    "identification": gettext_lazy("contact identification rules"),
}
TARGET_LABELS = {
    "minutes_to_contacts_identified": gettext_lazy("Contacts identified within 5 minutes of confirmation (median, min)"),
    "hours_to_contacts_placed": gettext_lazy("Median confirmation -> contacts in a site within 6 hours"),
    # xgettext:no-python-format
    "share_under_measures": gettext_lazy("At least 90% of infections from day 14 among people under measures"),
    "recall_where_data": gettext_lazy("Recall of true contacts where the data exist at least 0.9"),
}


def _fix_text(code: str, fix: dict | None) -> str:
    if not fix:
        return ""
    if fix.get("method") == "peak":  # rooms first, then what the arithmetic says for the placed
        text = _("Rooms: %(needed)s instead of %(now)s (the run's peak of people in sites plus people waiting for a "
                 "room).") % {"needed": fix["needed"], "now": fix["now"]}
        return text + (" " + _fix_text(code, fix["also"]) if fix.get("also") else "")
    if fix.get("method") == "arithmetic" and fix["resource"] == "transport":
        text = _("Transport runs every %(needed)s h instead of every %(now)s h: median %(median)s h (queue arithmetic "
                 "over this run's placements).") % {"needed": fix["needed"], "now": fix["now"], "median": fix["median_h"]}
    elif fix.get("method") == "arithmetic" and fix["resource"] == "tracers":
        text = _("Tracers decide within %(needed)s h instead of %(now)s h, with transport every %(every)s h: median "
                 "%(median)s h (queue arithmetic).") % {"needed": fix["needed"], "now": fix["now"],
                                                         "every": fix["transport_every"], "median": fix["median_h"]}
    elif code == "share_under_measures":
        m = fix.get("misses", {})
        text = _("Of the infections not under measures, %(before)s came before their infector was confirmed (median "
                 "%(lead)s h before), %(never)s from infectors never confirmed and %(home)s from infectors under home "
                 "measures: earlier detection (screening and the lab) is what would close it; the twin gives no "
                 "figure for how much earlier.") % {
            "before": m.get("before_infector_confirmed", 0), "never": m.get("infector_not_confirmed", 0),
            "home": m.get("infector_under_measures", 0), "lead": (fix.get("lead_hours") or {}).get("median_h", "-")}
    else:
        text = _("%(missed)s true contacts missed, %(before)s of them exposed only before the case's tracing window; "
                 "settings under 0.9: %(settings)s.") % {
            "missed": fix.get("missed", 0), "before": fix.get("before_window", 0),
            "settings": ", ".join(str(SETTING_LABELS.get(s, s)) for s in fix.get("settings", [])) or "-"}
    rooms = fix.get("also")
    if rooms:
        text += (" " if text else "") + _("Rooms: %(needed)s instead of %(now)s (the run's peak of people in sites "
                                          "plus people waiting for a room).") % {"needed": rooms["needed"], "now": rooms["now"]}
    return text


def measurement(kpis: dict) -> dict | None:
    """Rows for the page, with translated labels; None for a run made before the measurement existed."""
    gaps = kpis.get("gaps")
    if not gaps:
        return None
    settings = [(SETTING_LABELS.get(name, name), row) for name, row in kpis.get("by_setting", {}).items()
                if row.get("true_contacts") or row.get("proposed") or row.get("infectees")]
    targets = [{**t, "label": TARGET_LABELS.get(t["code"], t["code"]),
                "resource_label": RESOURCE_LABELS.get(t["resource"], t["resource"] or ""),
                "fix_text": _fix_text(t["code"], t.get("fix"))} for t in gaps.get("targets", [])]
    return {
        "averted": kpis.get("averted"), "infections": kpis.get("infections"),
        "infections_no_response": kpis.get("infections_no_response"), "spread": kpis.get("averted_spread"),
        "seeds": kpis.get("seeds", []), "settings": settings,
        "delays": [(STEP_LABELS.get(k, k), v) for k, v in kpis.get("delays", {}).items()],
        "stages": [(STAGE_LABELS.get(k, k), v) for k, v in gaps.get("stages", {}).items()],
        "bottleneck": RESOURCE_LABELS.get(gaps.get("bottleneck"), gaps.get("bottleneck")),
        "resources": gaps.get("resources", {}), "targets": targets, "under": kpis.get("under_measures", {}),
        "precision": kpis.get("tracing_precision"), "recall": kpis.get("tracing_recall"),
    }
