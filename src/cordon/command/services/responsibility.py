"""Responsibility (包保): the named responsible person and deputy for a region, task or other object, with
history (a new assignment ends the previous one)."""

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.command import events
from cordon.command.enums import ObjectType
from cordon.command.models import DispatchMatch, Responsibility, Task
from cordon.command.services.common import person_and_deputy, require_change
from cordon.command.services.common import region_path as known_region
from cordon.core import access, audit, clock
from cordon.core.errors import ServiceError

LOCAL = {"task": Task, "loan": DispatchMatch}  # objects of command itself, located here


def _object_region(object_type: str, object_id: str) -> str | None:
    """Region path of a named object (a task here, anything else from the app above that owns it); None for a type
    that is not located by its id (a region, other) or no id."""
    if not object_id or (object_type not in LOCAL and object_type not in events.OBJECT_TYPES_ABOVE):
        return None
    try:
        pk = int(object_id)
    except ValueError:
        raise ServiceError.field("object_id", _("must be a number")) from None
    if object_type in LOCAL:
        found = LOCAL[object_type].objects.filter(pk=pk).values_list("region_path", flat=True).first()
    else:
        found = events.OBJECT_REGION.ask(object_type=object_type, object_id=pk)
    if found is None:
        raise ServiceError.field("object_id", _("no %(object_type)s %(object_id)s") % {"object_type": object_type, "object_id": object_id})
    return found


def responsibility_assign(*, actor, object_type: str, region_path: str = "", label: str, responsible_id, object_id: str = "",
                          deputy_id=None, phone: str = "") -> Responsibility:
    """Name the responsible person and deputy for an object (包保); the previous assignment ends and stays in history."""
    if object_type not in ObjectType.values:
        raise ServiceError.field("object_type", _("must be one of %(choices)s") % {"choices": ', '.join(ObjectType.values)})
    object_id = str(object_id or "").strip()
    found = _object_region(object_type, object_id)
    region_path = found or known_region(region_path)
    require_change(actor, region_path)
    if not label.strip():
        raise ServiceError.field("label", _("is required"))
    responsible, deputy = person_and_deputy(responsible_id, deputy_id, field="responsible",
                                            same_message=_("must be someone other than the responsible person"))
    now = clock.now()
    with transaction.atomic():
        current = Responsibility.objects.select_for_update().filter(object_type=object_type, object_id=object_id,
                                                                     region_path=region_path, active=True).first()
        if current and current.responsible_id == responsible.pk and current.deputy_id == (deputy.pk if deputy else None):
            return current
        if current:
            current.active, current.ended_at = False, now
            current.save(update_fields=["active", "ended_at"])
        obj = Responsibility.objects.create(object_type=object_type, object_id=object_id, region_path=region_path, label=label.strip(),
                                            responsible=responsible, deputy=deputy, phone=phone,
                                            assigned_by=access.user_or_none(actor))
        audit.record(actor, "responsibility.assign", obj, changes={"object": f"{object_type}:{object_id}", "responsible": responsible.pk,
                                                                   "deputy": deputy.pk if deputy else None,
                                                                   "replaced": current.pk if current else None})
    return obj


def responsibility_end(*, actor, responsibility) -> Responsibility:
    """End a responsibility (the object is gone or handed over)."""
    access.require(actor, "command.change", responsibility.region_path)
    if not responsibility.active:
        raise ServiceError.field("active", _("already ended"), code="closed")
    with transaction.atomic():
        responsibility.active, responsibility.ended_at = False, clock.now()
        responsibility.save(update_fields=["active", "ended_at"])
        audit.record(actor, "responsibility.end", responsibility)
    return responsibility
