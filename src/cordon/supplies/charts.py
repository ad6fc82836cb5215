"""ECharts options for the supplies screens."""


def days_of_supply(rows: list[dict], limit: int = 20) -> dict:
    """Horizontal bars: the items with the fewest days of supply, red below their threshold."""
    rows = sorted([r for r in rows if r["days"] is not None], key=lambda r: r["days"])[:limit]
    return {
        "tooltip": {"trigger": "axis"}, "grid": {"left": 180, "right": 20, "top": 10, "bottom": 20},
        "xAxis": {"type": "value", "name": "days"},
        "yAxis": {"type": "category", "inverse": True, "data": [f"{r['warehouse']} · {r['item']}" for r in rows]},
        "series": [{"type": "bar", "data": [{"value": r["days"], "itemStyle": {"color": "#d92d20" if r["low"] else "#12b76a"}} for r in rows]}],
    }
