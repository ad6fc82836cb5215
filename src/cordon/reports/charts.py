"""ECharts options for the command screens (complete option dicts, rendered by web/static/cordon/charts.js)."""


def trend(trend: dict, *, cases_label: str, contacts_label: str) -> dict:
    """New infections and close contacts per day."""
    dates = [d[5:] for d in trend.get("dates", [])]
    series = []
    if trend.get("cases"):
        series.append({"name": cases_label, "type": "bar", "data": trend["cases"], "itemStyle": {"color": "#c0392b"}})
    if trend.get("contacts"):
        series.append({"name": contacts_label, "type": "line", "yAxisIndex": 1, "data": trend["contacts"], "itemStyle": {"color": "#1f6feb"}})
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 40, "right": 40, "top": 30, "bottom": 30},
            "xAxis": {"type": "category", "data": dates}, "yAxis": [{"type": "value"}, {"type": "value"}], "series": series}


def series(points: list[tuple[str, float | None]], *, label: str) -> dict:
    """One figure over recent snapshots."""
    return {"tooltip": {"trigger": "axis"}, "grid": {"left": 40, "right": 20, "top": 20, "bottom": 30},
            "xAxis": {"type": "category", "data": [p[0] for p in points]}, "yAxis": {"type": "value"},
            "series": [{"name": label, "type": "line", "data": [p[1] for p in points], "smooth": True, "itemStyle": {"color": "#8e1b1b"}}]}


def district_bars(rows: list[dict], *, labels: dict) -> dict:
    """Per district: infections, zones, sites (whatever the modules provide)."""
    names = [r["name"] for r in rows]
    series = []
    for key, colour in (("cases_total", "#c0392b"), ("zones", "#e67e22"), ("sites", "#1f6feb")):
        if any(r.get(key) is not None for r in rows):
            series.append({"name": labels[key], "type": "bar", "data": [r.get(key) or 0 for r in rows], "itemStyle": {"color": colour}})
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 90, "right": 20, "top": 30, "bottom": 20},
            "xAxis": {"type": "value"}, "yAxis": {"type": "category", "data": names}, "series": series}
