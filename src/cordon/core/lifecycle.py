"""Lifecycles as data: each status field declares which next statuses it allows; services enforce it with
`check`, and pages offer only `next_choices` (never a backward step the service would refuse)."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from cordon.core.errors import Conflict, ServiceError


class Lifecycle:
    def __init__(self, name: str, transitions: dict[str, Iterable[str]]):
        self.name = name
        self.transitions = {state: tuple(nxt) for state, nxt in transitions.items()}

    def allowed(self, state: str) -> tuple[str, ...]:
        """The statuses reachable from `state` in one step."""
        return self.transitions.get(state, ())

    def check(self, current: str, target: str, *, field: str = "status") -> None:
        """Refuse a move the lifecycle does not allow, naming the allowed ones."""
        if target not in self.transitions:
            raise ServiceError.field(field, _("must be one of %(choices)s") % {"choices": ', '.join(self.transitions)})
        if target not in self.allowed(current):
            allowed = ", ".join(self.allowed(current)) or "none (final)"
            raise ServiceError.field(field, _("a %(name)s that is %(current)s can move to: %(allowed)s") % {"name": self.name, "current": current, "allowed": allowed}, code="transition")

    def step(self, current: str, target: str, *, field: str = "status") -> None:
        """`check` for a service moving an object: a move its status forbids now is a conflict (409, code transition)."""
        try:
            self.check(current, target, field=field)
        except ServiceError as exc:
            if exc.code != "transition":
                raise
            raise Conflict(exc.message, code=exc.code, fields=exc.fields) from None

    def next_choices(self, choices: Iterable[tuple[str, str]], current: str) -> list[tuple[str, str]]:
        """(value, label) pairs of the allowed next statuses, in the choices' order."""
        allowed = set(self.allowed(current))
        return [(v, label) for v, label in choices if v in allowed]
