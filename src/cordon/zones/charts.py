"""ECharts options for the zone map: district outlines as lines, zones as bubbles sized by people."""

COLOURS = {3: "#b42318", 2: "#dc6803", 1: "#2e90fa"}


def zone_map_option(data: dict, *, title_days: str = "days remaining", title_people: str = "people") -> dict:
    """A complete ECharts option over lon/lat axes (no registered map needed)."""
    series = []
    for d in data["districts"]:
        boundary = d.get("boundary") or {}
        polys = boundary.get("coordinates") or []
        if boundary.get("type") == "Polygon":
            polys = [polys]
        for poly in polys:
            if poly:
                series.append({"type": "line", "name": d["name"], "data": poly[0], "symbol": "none", "silent": True,
                               "lineStyle": {"color": "#98a2b3", "width": 1}, "tooltip": {"show": False}})
        if d.get("lon") is not None:
            series.append({"type": "scatter", "data": [[d["lon"], d["lat"]]], "symbolSize": 0, "silent": True,
                           "label": {"show": True, "formatter": d["name"], "color": "#667085"}, "tooltip": {"show": False}})
    for rank in (1, 2, 3):
        points = []
        for z in data["zones"]:
            if z["rank"] != rank or z["lon"] is None:
                continue
            days = "-" if z["days_remaining"] is None else z["days_remaining"]
            points.append({"value": [z["lon"], z["lat"], z["population"]], "name": z["name"],
                           "symbolSize": max(8, min(40, 6 + z["population"] ** 0.5 / 2)),
                           "tooltip": {"formatter": f"{z['name']}<br>{z['label']} · {z['status_label']}<br>"
                                                    f"{title_people}: {z['population']}<br>{title_days}: {days}"}})
            if z.get("polygon") and z["polygon"].get("type") == "Polygon":
                series.append({"type": "line", "data": z["polygon"]["coordinates"][0], "symbol": "none", "silent": True,
                               "lineStyle": {"color": COLOURS[rank], "width": 2}, "tooltip": {"show": False}})
        if points:
            label = next(z["label"] for z in data["zones"] if z["rank"] == rank)
            series.append({"type": "scatter", "name": label, "data": points, "itemStyle": {"color": COLOURS[rank], "opacity": 0.8}})
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"top": 0},
        "grid": {"left": 10, "right": 10, "top": 30, "bottom": 10, "containLabel": False},
        "xAxis": {"type": "value", "scale": True, "show": False},
        "yAxis": {"type": "value", "scale": True, "show": False},
        "series": series,
    }
