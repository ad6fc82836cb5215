"""Charts of twin runs: PNG files (matplotlib, for the command line and reports) and ECharts options
(built on the server, rendered by web/charts.js on the results page)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _


def _plt():
    # Local on purpose: matplotlib is heavy (about a second to import) and only the PNG path needs it; the
    # results page (ECharts options below) must not load it. The Agg backend is chosen before pyplot loads.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def png_run(series: dict, folder: Path, title: str = "") -> list[str]:
    """epidemic.png (true infections vs confirmed cases per day) and quarantine.png (site occupancy, queue)."""
    plt = _plt()
    folder.mkdir(parents=True, exist_ok=True)
    days = list(range(1, len(series["date"]) + 1))
    fig, ax = plt.subplots(figsize=(9, 4.2), dpi=100)
    ax.bar(days, series["infections"], color="#f4b4ae", label="infections (ground truth)")
    ax.plot(days, series["confirmed"], color="#b42318", marker="o", ms=3, label="cases confirmed (platform)")
    ax.set_xlabel("day")
    ax.set_ylabel("per day")
    ax.set_title(title or "epidemic curve")
    ax.legend()
    fig.tight_layout()
    fig.savefig(folder / "epidemic.png")
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(9, 4.2), dpi=100)
    ax.plot(days, series["occupancy"], color="#175cd3", label="people in quarantine sites")
    ax.plot(days, series["queued"], color="#dc6803", label="waiting for a room")
    ax.plot(days, series["off_street"], color="#667085", ls="--", label="kept off the street")
    ax.set_xlabel("day")
    ax.set_title("measures")
    ax.legend()
    fig.tight_layout()
    fig.savefig(folder / "quarantine.png")
    plt.close(fig)
    return ["epidemic.png", "quarantine.png"]


def png_compare(by_label: dict[str, dict], folder: Path) -> list[str]:
    """compare.png: true infections and confirmed cases per day for each configuration (seed-averaged)."""
    plt = _plt()
    folder.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), dpi=100)
    for label, series in by_label.items():
        days = list(range(1, len(series["infections"]) + 1))
        axes[0].plot(days, series["infections"], label=label)
        axes[1].plot(days, series["confirmed"], label=label)
    axes[0].set_title("infections per day (ground truth)")
    axes[1].set_title("cases confirmed per day")
    for ax in axes:
        ax.set_xlabel("day")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(folder / "compare.png")
    plt.close(fig)
    return ["compare.png"]


def epidemic_option(series: dict) -> dict:
    return {
        "tooltip": {"trigger": "axis"}, "grid": {"left": 50, "right": 50, "top": 40, "bottom": 40},
        "legend": {"data": [_("Infections (ground truth)"), _("Cases confirmed"), _("In quarantine sites")]},
        "xAxis": {"type": "category", "data": series.get("date", [])},
        "yAxis": [{"type": "value", "name": _("per day")}, {"type": "value", "name": _("people")}],
        "series": [
            {"type": "bar", "name": _("Infections (ground truth)"), "data": series.get("infections", []),
             "itemStyle": {"color": "#f4b4ae"}},
            {"type": "line", "name": _("Cases confirmed"), "data": series.get("confirmed", []),
             "itemStyle": {"color": "#b42318"}},
            {"type": "line", "name": _("In quarantine sites"), "yAxisIndex": 1, "data": series.get("occupancy", []),
             "itemStyle": {"color": "#175cd3"}, "showSymbol": False},
        ],
    }


def compare_option(by_label: dict[str, dict]) -> dict:
    labels = list(by_label)
    n = max((len(s.get("infections", [])) for s in by_label.values()), default=0)
    return {
        "tooltip": {"trigger": "axis"}, "grid": {"left": 50, "right": 20, "top": 40, "bottom": 40},
        "legend": {"data": [f"{lb} · {_('infections')}" for lb in labels] + [f"{lb} · {_('confirmed')}" for lb in labels]},
        "xAxis": {"type": "category", "data": list(range(1, n + 1))},
        "yAxis": {"type": "value"},
        "series": [{"type": "line", "name": f"{lb} · {_('infections')}", "data": s.get("infections", []), "showSymbol": False}
                   for lb, s in by_label.items()]
        + [{"type": "line", "name": f"{lb} · {_('confirmed')}", "data": s.get("confirmed", []), "lineStyle": {"type": "dashed"},
            "showSymbol": False} for lb, s in by_label.items()],
    }
