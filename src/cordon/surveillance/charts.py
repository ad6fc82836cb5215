"""ECharts options for the surveillance dashboard (built on the server, rendered by web/charts.js)."""

from django.utils.translation import gettext as _


def stream_chart(dates, values, signals) -> dict:
    marks = [{"coord": [s["date"], s["observed"]], "value": s["method"]} for s in signals]
    return {
        "tooltip": {"trigger": "axis"}, "grid": {"left": 50, "right": 20, "top": 30, "bottom": 60},
        "xAxis": {"type": "category", "data": dates}, "yAxis": {"type": "value"},
        "dataZoom": [{"type": "slider", "start": 80, "end": 100}],
        "series": [{"type": "line", "name": _("Daily count"), "data": values, "showSymbol": False,
                    "markPoint": {"data": marks, "symbolSize": 36, "itemStyle": {"color": "#d92d20"}}}],
    }


def _r(x):
    return None if x is None else round(x, 3)


def rt_chart(rows: list[dict]) -> dict:
    """Rt and its interval; windows with too few cases for an estimate are gaps (null), not the prior."""
    dates = [r["date_end"].isoformat() for r in rows]
    return {
        "tooltip": {"trigger": "axis"}, "grid": {"left": 50, "right": 20, "top": 30, "bottom": 30},
        "legend": {"data": [_("Rt mean"), _("credible interval (95%)")]},
        "xAxis": {"type": "category", "data": dates}, "yAxis": {"type": "value", "min": 0},
        "series": [
            {"type": "line", "name": _("credible interval (95%)"), "data": [_r(r["q025"]) for r in rows], "stack": "ci",
             "lineStyle": {"opacity": 0}, "showSymbol": False},
            {"type": "line", "name": _("credible interval (95%)"), "data": [None if r["q025"] is None else _r(r["q975"] - r["q025"]) for r in rows], "stack": "ci",
             "lineStyle": {"opacity": 0}, "areaStyle": {"color": "#f4b4ae"}, "showSymbol": False},
            {"type": "line", "name": _("Rt mean"), "data": [_r(r["mean"]) for r in rows], "itemStyle": {"color": "#b42318"},
             "markLine": {"data": [{"yAxis": 1}], "lineStyle": {"type": "dashed"}}},
        ],
    }


def forecast_chart(days) -> dict:
    dates = [d["date"] for d in days]
    return {
        "tooltip": {"trigger": "axis"}, "grid": {"left": 50, "right": 50, "top": 30, "bottom": 30},
        "legend": {"data": [_("Projected cases"), _("Rooms needed")]},
        "xAxis": {"type": "category", "data": dates},
        "yAxis": [{"type": "value", "name": _("cases")}, {"type": "value", "name": _("rooms")}],
        "series": [
            {"type": "bar", "name": _("Projected cases"), "data": [d["median"] for d in days], "itemStyle": {"color": "#c0392b"}},
            {"type": "line", "name": _("Rooms needed"), "yAxisIndex": 1, "data": [d["rooms"] for d in days]},
        ],
    }
