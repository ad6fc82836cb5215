"""Lifecycles as data: each status field declares which next statuses it allows; services enforce it with
`step` (409: the state forbids the move now) or `check` (400), and pages offer only `next_choices` (never a
backward step the service would refuse). Refusals name the statuses by their labels, in the user's language."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from cordon.core.errors import Conflict, ServiceError


class Lifecycle:
    def __init__(self, name, transitions: dict[str, Iterable[str]], *, labels=None):
        """`name`: the object's name (lazily translated); `labels`: the status field's choices class, for messages."""
        self.name = name
        self.transitions = {str(state): tuple(str(n) for n in nxt) for state, nxt in transitions.items()}
        self.labels = labels

    def allowed(self, state: str) -> tuple[str, ...]:
        """The statuses reachable from `state` in one step."""
        return self.transitions.get(state, ())

    def sources(self, target: str) -> list[str]:
        """The statuses from which `target` is one allowed step (to filter a bulk status update)."""
        return [state for state, nxt in self.transitions.items() if target in nxt]

    def label(self, state: str) -> str:
        """The status's label (its code when the lifecycle has no labels or the code is unknown)."""
        if self.labels is None:
            return state
        try:
            return str(self.labels(state).label)
        except ValueError:
            return state

    def check(self, current: str, target: str, *, field: str = "status", row: int | None = None) -> None:
        """Refuse a move the lifecycle does not allow (400), naming the allowed ones (and the row of a bulk input)."""
        if target not in self.transitions:
            choices = "、".join(self.label(s) for s in self.transitions)
            self._refuse(ServiceError, field, row, _("must be one of %(choices)s") % {"choices": choices}, "invalid")
        if target not in self.allowed(current):
            allowed = "、".join(self.label(s) for s in self.allowed(current)) or _("none (final)")
            message = _("a %(name)s that is %(current)s can move to: %(allowed)s") % {
                "name": self.name, "current": self.label(current), "allowed": allowed}
            self._refuse(ServiceError, field, row, message, "transition")

    def step(self, current: str, target: str, *, field: str = "status", row: int | None = None) -> None:
        """`check` for a service moving an object: a move its status forbids now is a conflict (409, code transition)."""
        try:
            self.check(current, target, field=field, row=row)
        except ServiceError as exc:
            if exc.code != "transition":
                raise
            raise Conflict(exc.message, code=exc.code, fields=exc.fields) from None

    def next_choices(self, choices: Iterable[tuple[str, str]], current: str) -> list[tuple[str, str]]:
        """(value, label) pairs of the allowed next statuses, in the choices' order."""
        allowed = set(self.allowed(current))
        return [(v, label) for v, label in choices if v in allowed]

    @staticmethod
    def _refuse(error, field: str, row: int | None, message: str, code: str):
        raise error.field(field, message, row=row, code=code)
