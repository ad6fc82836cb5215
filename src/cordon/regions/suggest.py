"""The search widget's answer for regions (cordon.core.autocomplete): those the actor may see, by name; the value
is the region's path (what region fields take), shown with its level and the areas above it."""

from cordon.core import autocomplete
from cordon.core.autocomplete import Suggestion
from cordon.regions.models import Region


def _ancestors(path: str) -> list[str]:
    """The paths above `path`, from the district down (the city left out)."""
    parts = path.split(".")
    return [".".join(parts[: i + 1]) for i in range(1, len(parts) - 1)]


def _suggestions(rows: list[Region]) -> list[Suggestion]:
    above = {p for r in rows for p in _ancestors(r.path)}
    names = dict(Region.objects.filter(path__in=above).values_list("path", "name")) if above else {}
    return [Suggestion(value=r.path, label=r.name,
                       detail=" · ".join([r.get_level_display(), *(names[p] for p in _ancestors(r.path) if p in names)]))
            for r in rows]


@autocomplete.SUGGEST["region"].answer
def regions(*, actor, q=None, values=None, limit=autocomplete.LIMIT) -> list[Suggestion]:
    """Regions in force by part of the name, the higher levels first."""
    qs = Region.objects.visible_to(actor, "view").filter(abolished_on__isnull=True)
    if values is not None:
        return _suggestions(list(qs.filter(path__in=values)))
    return _suggestions(list(qs.filter(name__icontains=q).order_by("level", "path")[:limit]))
