"""Choosing a person, household, venue, region, site, room or user by searching its name, never by typing an
internal id or a region path: one shared search widget and one question per kind of thing.

Core knows no app's models, so each kind is a `core.events.Question` that the app owning the model answers in
its `suggest.py` (loaded by core's AppConfig.ready, like receivers):

    @autocomplete.SUGGEST["venue"].answer
    def venues(*, actor, q=None, values=None, limit=10) -> list[Suggestion]:
        ...  # scoped to what `actor` may see; personal data masked

Asked with `q`, the answer is the best matches of the search text (name, code or masked phone); asked with
`values`, it is the labels of those values (to show a chosen value again). A form uses `SearchField(kind)` (or
the template tag `{% autocomplete kind name %}` where a template writes its inputs by hand): a search box whose
suggestions come from /suggest/<kind>/?q=... (htmx) and a hidden input holding the chosen value, which the
service checks against the actor's scope as it does for any other input.
"""

from dataclasses import asdict, dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cordon.core.events import Question

LIMIT = 10
MAX_QUERY = 60


@dataclass(frozen=True)
class Suggestion:
    value: str        # what the form sends: a row's number or a region's path, never shown
    label: str        # the name (masked where it is a person's)
    detail: str = ""  # a second line: the area, an address, a masked phone

    def as_dict(self) -> dict:
        return asdict(self)


_KINDS = {
    "person": "Residents the actor may see, by name (masked), masked phone or ID number ending",
    "household": "Households the actor may see, by address or a member's name",
    "venue": "Venues the actor may see, by name, venue code or address",
    "region": "Regions the actor may see (district to grid), by name",
    "site": "Quarantine sites the actor may see, by name",
    "room": "Rooms of the quarantine sites the actor may see, by site and room number",
    "user": "Staff accounts with a post the actor may see, by name or user name",
}
SUGGEST: dict[str, Question] = {kind: Question(f"core.suggest.{kind}", doc) for kind, doc in _KINDS.items()}


def kinds() -> list[str]:
    return list(SUGGEST)


def suggest(kind: str, *, actor, q: str, limit: int = LIMIT) -> list[Suggestion]:
    """The best matches of `q` among the things of this kind the actor may see (empty for an empty search)."""
    q = (q or "").strip()[:MAX_QUERY]
    if not q or actor is None or not actor.is_authenticated:
        return []
    return list(SUGGEST[kind].ask(actor=actor, q=q, values=None, limit=limit))[:limit]


def labels(kind: str, *, actor, values: list[str]) -> dict[str, Suggestion]:
    """The suggestions for already chosen values (those the actor may see), by value."""
    values = [str(v) for v in values if str(v or "").strip()]
    if not values or actor is None or not actor.is_authenticated:
        return {}
    return {s.value: s for s in SUGGEST[kind].ask(actor=actor, q=None, values=values, limit=len(values))}


class SearchWidget(forms.Widget):
    """A search box with suggestions and a hidden input for the chosen value; the typed text travels along as
    `<name>__label` so a form shown again with errors keeps what the user saw."""

    template_name = "core/widgets/search.html"

    def __init__(self, kind: str, attrs=None, placeholder: str = ""):
        if kind not in SUGGEST:
            raise ValueError(_("unknown search kind %(kind)r") % {"kind": kind})
        self.kind, self.placeholder, self.typed = kind, placeholder, ""
        super().__init__(attrs)

    def value_from_datadict(self, data, files, name):
        self.typed = data.get(f"{name}__label", "")
        return data.get(name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget.update(search_context(self.kind, name=name, value=value, label=self.typed,
                                     placeholder=self.placeholder, required=self.is_required, input_id=widget["attrs"].get("id")))
        return context


class SearchField(forms.CharField):
    """A thing chosen by searching its name: the cleaned value is what the suggestion carried (a number, or a
    region's path with `path=True`), to be checked against the actor's scope by the service."""

    def __init__(self, kind: str, *, path: bool = False, placeholder: str = "", **kwargs):
        self.kind, self.path = kind, path
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("error_messages", {"required": _("search by name and choose one of the suggestions")})
        super().__init__(widget=SearchWidget(kind, placeholder=placeholder), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values or self.path:
            return value
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise forms.ValidationError(_("choose one of the suggestions"), code="invalid") from None
        if number < 1:
            raise forms.ValidationError(_("choose one of the suggestions"), code="invalid")
        return number


def search_context(kind: str, *, name: str, value=None, label: str = "", placeholder: str = "", required: bool = False,
                   input_id: str | None = None) -> dict:
    """What the widget's template needs (shared by SearchWidget and the `autocomplete` template tag)."""
    if kind not in SUGGEST:
        raise ValueError(_("unknown search kind %(kind)r") % {"kind": kind})
    input_id = input_id or f"id_{name}"
    return {"kind": kind, "name": name, "value": "" if value is None else value, "label": label or "",
            "placeholder": placeholder or _("Search by name"), "required": required, "input_id": input_id,
            "url": reverse("web:suggest", args=[kind])}
