"""Who a round reached: the public result lookup (throttled), negative-result notices, and the grid
worker's list of residents not yet sampled."""

from django.core.exceptions import PermissionDenied

from cordon.core import access, throttle
from cordon.core.notify import notifier
from cordon.screening import metrics, selectors
from cordon.screening.enums import SampleResult
from cordon.screening.models import Round, Sample


def lookup_allowed(*, address: str, id_number: str) -> bool:
    """Count a public result lookup; False once the looked-up person or the address is over its limit (core.throttle)."""
    return throttle.lookup_allowed(scope="screening.lookup", address=address, id_number=id_number)


def result_notify(*, round_id: int, limit: int = 1000) -> int:
    """Tell residents with a negative result in a round by the notifier (bounded per call)."""
    send = notifier().send
    n = 0
    qs = Sample.objects.filter(round_id=round_id, result=SampleResult.NEGATIVE).select_related("person")[:limit]
    for s in qs:
        if s.person.phone:
            send(phone=s.person.phone, kind="screening.result", message="您本轮核酸检测结果为阴性。")
            n += 1
    return n


def unsampled_rows(*, actor, rnd: Round, grid_path: str):
    """The grid worker's list of residents not yet sampled, masked (the file is screening.exports.unsampled_export)."""
    if not access.can(actor, "screening.view", grid_path):
        raise PermissionDenied("screening.view")
    qs = metrics.unsampled(rnd, grid_path=grid_path, actor=actor)
    rows = []
    for p in qs.iterator(chunk_size=2000):
        rows.append({"person_id": p.pk, **selectors.masked_person(p)})
    return rows
