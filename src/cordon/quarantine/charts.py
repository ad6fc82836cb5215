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


def _over_categories(categories: list, series: list[tuple], *, rotate: bool = False) -> dict:
    """Series over categories on the x axis, named in the legend: `series` is [(name, "bar" or "line", values,
    colour)]; `rotate` slants long category names."""
    x_axis = {"type": "category", "data": categories, **({"axisLabel": {"rotate": 30}} if rotate else {})}
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"data": [name for name, *_rest in series], "bottom": 0},
        "grid": {"left": 40, "right": 20, "top": 10, "bottom": 60 if rotate else 40},
        "xAxis": x_axis, "yAxis": {"type": "value"},
        "series": [{"name": name, "type": kind, "data": data, "itemStyle": {"color": colour}} for name, kind, data, colour in series],
    }


def flows(rows: list[dict]) -> dict:
    """Arrivals and releases per day."""
    return _over_categories([r["day"].strftime("%m-%d") for r in rows], [
        (_("Arrivals"), "bar", [r["arrivals"] for r in rows], "#1f6feb"),
        (_("Releases"), "bar", [r["releases"] for r in rows], "#2e7d32")])


def reserve_bars(rows: list[dict]) -> dict:
    """Rooms held against the reserve target per district."""
    return _over_categories([r["name"] for r in rows], [
        (_("Rooms held"), "bar", [r["rooms"] for r in rows], "#1f6feb"),
        (_("Target"), "line", [r["target"] for r in rows], "#b42318")], rotate=True)


def forecast(rows: list[dict]) -> dict:
    """Free rooms against the rooms the next 7 days need, per district."""
    return _over_categories([r["name"] for r in rows], [
        (_("Free rooms"), "bar", [r["free"] for r in rows], "#2e7d32"),
        (_("Rooms needed (7 days)"), "bar", [r["new_rooms"] for r in rows], "#b42318")], rotate=True)
