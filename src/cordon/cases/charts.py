"""ECharts options for case chains and clusters (complete option dicts; the page only renders them)."""
from django.utils.translation import gettext as _

from cordon.core import clock, pii

KIND_COLOURS = {"confirmed": "#c0392b", "asymptomatic": "#e67e22"}
LINK_STYLE = {"infector": ("solid", 3), "household": ("solid", 2), "close_contact": ("dashed", 2),
              "vehicle": ("dotted", 1), "venue": ("dotted", 1)}


def cluster_graph(cluster: dict, *, generations: dict[int, int] | None = None) -> dict:
    """A force-directed graph: one node per case (colour by kind), edges typed by link."""
    generations = generations or {}
    nodes = []
    for c in cluster["cases"]:
        label = f"#{c.pk} {pii.mask_name(c.person.name)}"
        nodes.append({"id": str(c.pk), "name": label, "value": clock.local(c.confirmed_at).strftime("%m-%d %H:%M"),
                      "symbolSize": 28 if c.infector_id is None else 20, "category": 0 if c.kind == "confirmed" else 1,
                      "itemStyle": {"color": KIND_COLOURS.get(c.kind, "#888")},
                      "label": {"show": True, "formatter": label + (f" G{generations[c.pk]}" if c.pk in generations else "")}})
    edges = []
    for e in cluster["edges"]:
        style, width = LINK_STYLE.get(e["kind"], ("dotted", 1))
        edges.append({"source": str(e["source"]), "target": str(e["target"]), "value": _link_label(e["kind"]),
                      "lineStyle": {"type": style, "width": width},
                      "symbol": ["none", "arrow"] if e["kind"] == "infector" else ["none", "none"],
                      "label": {"show": True, "formatter": _link_label(e["kind"]), "fontSize": 10}})
    return {
        "tooltip": {},
        "legend": [{"data": [_("Confirmed case"), _("Asymptomatic infection")]}],
        "series": [{
            "type": "graph", "layout": "force", "roam": True, "draggable": True,
            "force": {"repulsion": 220, "edgeLength": [60, 140]},
            "categories": [{"name": _("Confirmed case"), "itemStyle": {"color": KIND_COLOURS["confirmed"]}},
                           {"name": _("Asymptomatic infection"), "itemStyle": {"color": KIND_COLOURS["asymptomatic"]}}],
            "data": nodes, "links": edges, "edgeSymbolSize": 8,
        }],
    }


def _link_label(kind: str) -> str:
    return {"infector": _("infected"), "household": _("household"), "close_contact": _("close contact"),
            "vehicle": _("same trip"), "venue": _("same venue")}.get(kind, kind)


def generation_bars(per_gen: dict[int, int]) -> dict:
    """Cases per generation as a bar chart."""
    keys = sorted(per_gen)
    return {"tooltip": {}, "xAxis": {"type": "category", "data": [f"G{k}" for k in keys]}, "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"type": "bar", "data": [per_gen[k] for k in keys], "itemStyle": {"color": "#c0392b"}}]}
