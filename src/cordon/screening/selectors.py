"""Reads for mass testing: rounds, sites, tubes, samples and retests inside the actor's area,
the public result lookup, and the cross-module `people_negative_since`."""

import datetime as dt
from collections.abc import Mapping

from django.db.models import Q, QuerySet
from django.http import Http404

from cordon.core import access, pii
from cordon.people.models import Person
from cordon.regions.models import Region
from cordon.screening.enums import SampleResult
from cordon.screening.filters import RetestFilter, RoundFilter, TubeFilter
from cordon.screening.models import LabResult, Retest, Round, Sample, Site, Tube


def _where(qs: QuerySet, **equal) -> QuerySet:
    """`qs` filtered on each given (non-empty) field value."""
    given = {k: v for k, v in equal.items() if v}
    return qs.filter(**given) if given else qs


def round_list(*, actor, filters: Mapping | None = None) -> QuerySet[Round]:
    """Rounds whose area overlaps the actor's (rounds over a whole city are visible to its districts too), filtered
    by RoundFilter (status)."""
    visible = Round.objects.visible_to(actor, "view")
    areas = access.areas(actor, "screening.view")
    q = Q(pk__in=visible.values("pk"))
    for area in areas:
        if area:
            parts = area.split(".")
            q |= Q(region_path__in=[".".join(parts[:i]) for i in range(1, len(parts))])
    qs = Round.objects.filter(q).select_related("region") if areas else Round.objects.none()
    return RoundFilter.apply(filters, qs.order_by("-starts_at", "-id"))


def round_get(*, actor, pk: int, action: str = "view") -> Round:
    """One round, 404 when the actor's area does not overlap it."""
    rnd = round_list(actor=actor).filter(pk=pk).first()
    if rnd is None:
        raise Http404("round")
    if action != "view":
        access.require(actor, f"screening.{action}", rnd.region_path)
    return rnd


def site_list(*, actor, round_id: int) -> QuerySet[Site]:
    """Sites of a round inside the actor's area."""
    return Site.objects.visible_to(actor, "view").filter(round_id=round_id).select_related("region").order_by("region__path", "id")


def site_get(*, actor, pk: int, action: str = "view") -> Site:
    """One site; 404 outside the actor's area, 403 when `action` is not granted."""
    return access.get_for(actor, Site.objects.select_related("round", "region"), action, pk=pk)


def tube_list(*, actor, filters: Mapping | None = None) -> QuerySet[Tube]:
    """Tubes inside the actor's area, filtered by TubeFilter (round, status, result, code)."""
    return TubeFilter.apply(filters, Tube.objects.visible_to(actor, "view").select_related("site").order_by("-id"))


def tube_get(*, actor, code: str) -> Tube:
    """One tube by barcode, 404 outside the actor's area."""
    return access.get_for(actor, Tube.objects.select_related("site", "round"), "view", code=code.strip().upper())


def tube_results(*, actor, code: str) -> tuple[Tube, QuerySet[LabResult]]:
    """A tube (404 outside the actor's area) and every result a lab sent for it, oldest first: the current one and
    those a correction replaced (current=False)."""
    tube = tube_get(actor=actor, code=code)
    return tube, LabResult.objects.visible_to(actor, "view").filter(tube=tube).order_by("received_at", "id")


def sample_list(*, actor, round_id: int | None = None, tube_id: int | None = None, result: str | None = None) -> QuerySet[Sample]:
    """Samples inside the actor's area (region_path = the person's grid)."""
    return _where(Sample.objects.visible_to(actor, "view").select_related("person", "tube").order_by("-id"),
                  round_id=round_id, tube_id=tube_id, result=result)


def retest_list(*, actor, filters: Mapping | None = None) -> QuerySet[Retest]:
    """Single-tube retests of positive-pool members inside the actor's area, filtered by RetestFilter (round, status)."""
    return RetestFilter.apply(filters, Retest.objects.visible_to(actor, "view")
                              .select_related("person", "pool_tube", "sample", "retest_sample__tube").order_by("-id"))


def retest_cards(retests) -> list[dict]:
    """Retests as listed to officials: the person masked, their grid by name, the pool sample and the single-tube retest."""
    rows = list(retests)
    grids = dict(Region.objects.filter(path__in={r.region_path for r in rows}).values_list("path", "name"))
    return [{"retest": r, "name": pii.mask_name(r.person.name), "id_number": pii.mask_id_number(r.person.id_number),
             "grid": grids.get(r.region_path, r.region_path), "pool_tube": r.pool_tube.code, "pool_sampled_at": r.sample.sampled_at,
             "retest_tube": r.retest_sample.tube.code if r.retest_sample_id else "",
             "retest_sampled_at": r.retest_sample.sampled_at if r.retest_sample_id else None} for r in rows]


def retest_get(*, actor, pk: int, action: str = "view") -> Retest:
    """One retest; 404 outside the actor's area."""
    return access.get_for(actor, Retest.objects.select_related("person", "sample__site", "pool_tube"), action, pk=pk)


def sample_card(sample: Sample) -> dict:
    """A sample as listed to officials (masked)."""
    p = sample.person
    return {"id": sample.pk, "person_id": p.pk, "name": pii.mask_name(p.name), "id_number": pii.mask_id_number(p.id_number),
            "tube": sample.tube.code, "sampled_at": sample.sampled_at, "result": sample.result, "is_retest": sample.is_retest,
            "grid_path": sample.region_path}


def masked_person(p: Person) -> dict:
    """A resident as shown on the unsampled list: name, ID number, phone and address masked."""
    return {"name": pii.mask_name(p.name), "id_number": pii.mask_id_number(p.id_number), "phone": pii.mask_phone(p.phone),
            "address": pii.mask_address(p.household.address if p.household_id else "")}


def people_negative_since(*, person_ids: list[int], since: dt.datetime) -> set[int]:
    """People with a negative result on a sample taken at or after `since`."""
    out: set[int] = set()
    ids = list(person_ids)
    for i in range(0, len(ids), 900):
        out.update(Sample.objects.filter(person_id__in=ids[i:i + 900], result=SampleResult.NEGATIVE, sampled_at__gte=since)
                   .values_list("person_id", flat=True))
    return out


def result_lookup(*, id_number: str, phone: str) -> dict | None:
    """A resident's own recent results when the ID number and phone match (public portal; caller rate-limits)."""
    id_number = (id_number or "").strip().upper()
    phone = (phone or "").strip().replace(" ", "")
    person = Person.objects.filter(id_number=id_number).first() if len(id_number) == 18 else None
    if person is None or not phone or person.phone != phone:
        return None
    rows = (Sample.objects.filter(person=person).select_related("round", "tube").order_by("-sampled_at")[:10])
    shown = {SampleResult.HELD: SampleResult.PENDING}
    return {
        "name": pii.mask_name(person.name),
        "results": [{"round": s.round.name, "sampled_at": s.sampled_at, "result": str(shown.get(s.result, s.result)),
                     "result_label": str(SampleResult(shown.get(s.result, s.result)).label), "reported_at": s.tube.reported_at,
                     "retest": s.is_retest} for s in rows],
    }
