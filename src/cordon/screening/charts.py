"""ECharts options for the mass-testing dashboard (complete option dicts; charts.js renders them)."""

from django.utils.translation import gettext as _


def coverage_bars(rows: list[dict]) -> dict:
    """Sampled vs not yet sampled per region, lowest coverage first."""
    rows = rows[:40]
    names = [r["name"] for r in rows][::-1]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"data": [_("Sampled"), _("Not yet sampled")]},
        "grid": {"left": 110, "right": 20, "top": 30, "bottom": 20},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "data": names},
        "series": [
            {"name": _("Sampled"), "type": "bar", "stack": "t", "data": [r["sampled"] for r in rows][::-1], "itemStyle": {"color": "#12b76a"}},
            {"name": _("Not yet sampled"), "type": "bar", "stack": "t", "data": [r["missing"] for r in rows][::-1],
             "itemStyle": {"color": "#d92d20"}},
        ],
    }


def tube_funnel(pipeline: dict) -> dict:
    """Tubes by stage: at sites, in transit, at labs, tested."""
    data = [(_("Open at sites"), pipeline["open"]), (_("In transit"), pipeline["in_transit"]),
            (_("At labs"), pipeline["at_lab"]), (_("Tested"), pipeline["tested"])]
    return {
        "tooltip": {"trigger": "item"},
        "xAxis": {"type": "category", "data": [d[0] for d in data]},
        "yAxis": {"type": "value"},
        "grid": {"left": 60, "right": 20, "top": 20, "bottom": 30},
        "series": [{"type": "bar", "data": [d[1] for d in data], "itemStyle": {"color": "#1570ef"}, "label": {"show": True, "position": "top"}}],
    }


def turnaround_bars(turnaround: dict) -> dict:
    """Median and p90 hours per stage."""
    stages = [("to_lab", _("Sampled to lab")), ("in_lab", _("In lab")), ("to_report", _("To report")), ("total", _("Total"))]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Median h"), _("P90 h")]},
        "xAxis": {"type": "category", "data": [label for _k, label in stages]},
        "yAxis": {"type": "value", "name": "h"},
        "grid": {"left": 50, "right": 20, "top": 30, "bottom": 30},
        "series": [{"name": _("Median h"), "type": "bar", "data": [turnaround[k]["median"] or 0 for k, _l in stages]},
                   {"name": _("P90 h"), "type": "bar", "data": [turnaround[k]["p90"] or 0 for k, _l in stages]}],
    }
