"""Complete ECharts options for the quarantine pages (rendered by web/static/cordon/charts.js)."""

from django.utils.translation import gettext as _

COLOURS = {"open": "#2e7d32", "full": "#b42318", "reserve": "#1f6feb", "readying": "#b7791f", "disinfection": "#6b7280"}


def site_map(city: dict, sites: list[dict]) -> dict:
    """District outlines as lines and the sites as a scatter, on lon/lat axes (no map registration needed)."""
    series = []
    for d in city.get("districts", []):
        geom = d.get("boundary") or {}
        polys = geom.get("coordinates") or []
        if geom.get("type") == "Polygon":
            polys = [polys]
        for poly in polys:
            for ring in poly[:1]:
                series.append({"type": "line", "data": ring, "showSymbol": False, "silent": True,
                               "lineStyle": {"color": "#9aa4b2", "width": 1}, "name": d["name"], "tooltip": {"show": False}})
        if d.get("lon") is not None:
            series.append({"type": "scatter", "data": [[d["lon"], d["lat"], d["name"]]], "symbolSize": 0, "silent": True,
                           "label": {"show": True, "formatter": d["name"], "color": "#6b7280", "fontSize": 11},
                           "tooltip": {"show": False}})
    by_status: dict[str, list] = {}
    for s in sites:
        if s.get("lon") is None:
            continue
        by_status.setdefault(s["status"], []).append({"name": s["name"], "value": [s["lon"], s["lat"], s["rooms"], s["free"]]})
    for status, data in by_status.items():
        series.append({"type": "scatter", "name": status, "data": data, "symbolSize": 12,
                       "itemStyle": {"color": COLOURS.get(status, "#333")}})
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}<br>" + _("rooms") + " {c}"},
        "legend": {"data": list(by_status), "bottom": 0},
        "xAxis": {"type": "value", "scale": True, "show": False},
        "yAxis": {"type": "value", "scale": True, "show": False},
        "grid": {"left": 10, "right": 10, "top": 10, "bottom": 30},
        "series": series,
    }


def occupancy_bars(rows: list[dict]) -> dict:
    """Occupied and free rooms per site or district."""
    names = [r["name"] for r in rows]
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"data": [_("Occupied"), _("Free")], "bottom": 0},
        "grid": {"left": 110, "right": 20, "top": 10, "bottom": 40},
        "xAxis": {"type": "value"}, "yAxis": {"type": "category", "data": names},
        "series": [{"name": _("Occupied"), "type": "bar", "stack": "r", "data": [r["occupied"] for r in rows],
                    "itemStyle": {"color": "#b42318"}},
                   {"name": _("Free"), "type": "bar", "stack": "r", "data": [r["free"] for r in rows],
                    "itemStyle": {"color": "#2e7d32"}}],
    }


def flows(rows: list[dict]) -> dict:
    """Arrivals and releases per day."""
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"data": [_("Arrivals"), _("Releases")], "bottom": 0},
        "grid": {"left": 40, "right": 20, "top": 10, "bottom": 40},
        "xAxis": {"type": "category", "data": [r["day"].strftime("%m-%d") for r in rows]}, "yAxis": {"type": "value"},
        "series": [{"name": _("Arrivals"), "type": "bar", "data": [r["arrivals"] for r in rows], "itemStyle": {"color": "#1f6feb"}},
                   {"name": _("Releases"), "type": "bar", "data": [r["releases"] for r in rows], "itemStyle": {"color": "#2e7d32"}}],
    }


def reserve_bars(rows: list[dict]) -> dict:
    """Rooms held against the reserve target per district."""
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"data": [_("Rooms held"), _("Target")], "bottom": 0},
        "grid": {"left": 40, "right": 20, "top": 10, "bottom": 60},
        "xAxis": {"type": "category", "data": [r["name"] for r in rows], "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "value"},
        "series": [{"name": _("Rooms held"), "type": "bar", "data": [r["rooms"] for r in rows], "itemStyle": {"color": "#1f6feb"}},
                   {"name": _("Target"), "type": "line", "data": [r["target"] for r in rows], "itemStyle": {"color": "#b42318"}}],
    }


def forecast(rows: list[dict]) -> dict:
    """Free rooms against the rooms the next 7 days need, per district."""
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"data": [_("Free rooms"), _("Rooms needed (7 days)")], "bottom": 0},
        "grid": {"left": 40, "right": 20, "top": 10, "bottom": 60},
        "xAxis": {"type": "category", "data": [r["name"] for r in rows], "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "value"},
        "series": [{"name": _("Free rooms"), "type": "bar", "data": [r["free"] for r in rows], "itemStyle": {"color": "#2e7d32"}},
                   {"name": _("Rooms needed (7 days)"), "type": "bar", "data": [r["new_rooms"] for r in rows],
                    "itemStyle": {"color": "#b42318"}}],
    }
