"""Lab results: CSV/Excel files, JSON and HL7 v2 ORU^R01 messages (read in services.hl7) become tube results.
Negatives are released, positive pools held with retests (services.retests), positive single tubes reported as
cases. Every result applied is kept as a LabResult row; a corrected result replaces the tube's current one and
the earlier row stays as history."""

import datetime as dt

from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock, tabular
from cordon.core.errors import ServiceError
from cordon.screening import jobs, rules
from cordon.screening.enums import Result, RetestStatus, SampleResult, TubeStatus
from cordon.screening.models import LabResult, Retest, Sample, Tube
from cordon.screening.services import retests
from cordon.screening.services.common import CLOCK_SLACK, aware, chunks, require

RESULT_ALIASES = {
    "tube": "tube", "tube_code": "tube", "barcode": "tube", "试管编码": "tube", "管码": "tube", "条码": "tube",
    "result": "result", "结果": "result", "检测结果": "result",
    "ct_orf1ab": "ct_orf1ab", "orf1ab": "ct_orf1ab", "ct_n": "ct_n", "n": "ct_n", "n基因": "ct_n",
    "lab": "lab", "检测机构": "lab", "实验室": "lab",
    "tested_at": "tested_at", "检测时间": "tested_at", "received_at": "received_at", "接收时间": "received_at",
}
# The results import's empty template (core.tabular.template_view): headers as RESULT_ALIASES accepts them, an example row.
RESULT_TEMPLATE = [("试管编码", "T20221120000001"), ("检测结果", "阴性"), ("orf1ab", ""), ("n基因", ""), ("检测机构", "市疾控中心实验室"),
                   ("接收时间", "2022-11-20 11:00"), ("检测时间", "2022-11-20 14:30")]
TUBE_FIELDS = ("id", "code", "status", "result", "region_path", "round_id", "is_retest", "capacity", "count", "closed_at",
               "received_at")


def _ct(value, *, row, field, errors):
    if value in (None, ""):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        errors.append({"row": row, "field": field, "message": _("%(value)r is not a number") % {"value": value}})
        return None
    if not 0 <= v <= 50:
        errors.append({"row": row, "field": field, "message": _("%(value)s is outside 0-50") % {"value": v}})
    return v


def results_import(*, actor, data: bytes, filename: str, lab: str = "") -> dict:
    """Import lab results from CSV/Excel (tube, result, Ct values, lab, tested_at): atomic, errors by row and field."""
    if not data:
        raise ServiceError.field("file", _("the file is empty"))
    items = []
    header_seen = set()
    for row, values in tabular.read_rows(data, filename, RESULT_ALIASES):
        header_seen.update(values)
        items.append({"row": row, **values})
    missing = tabular.missing_columns(header_seen, ["tube", "result"]) if items else ["tube", "result"]
    if missing:
        raise ServiceError(_("missing columns: %(choices)s") % {"choices": ', '.join(missing)}, code="missing_columns",
                           fields=[{"field": c, "message": _("column is missing")} for c in missing])
    return results_apply(actor=actor, items=items, lab=lab, source=filename or "upload")


def _clean_rows(items: list[dict], *, lab: str, now: dt.datetime, errors: list[dict]) -> list[tuple]:
    """Each row read on its own: (row, code, result, ct1, ct2, lab, tested_at, received_at, item); problems into errors."""
    clean = []
    for n, it in enumerate(items, 1):
        row = it.get("row", n)
        code = rules.normalise_barcode(it.get("tube"))
        result = rules.result_word(it.get("result"))
        if not rules.barcode_ok(code):
            errors.append({"row": row, "field": "tube", "message": _("malformed barcode %(code)r") % {"code": code}})
        if result is None:
            errors.append({"row": row, "field": "result", "message": _("%(value)r is not positive, negative or invalid") % {"value": it.get("result")}})
        ct1 = _ct(it.get("ct_orf1ab"), row=row, field="ct_orf1ab", errors=errors)
        ct2 = _ct(it.get("ct_n"), row=row, field="ct_n", errors=errors)
        tested_at = aware(it.get("tested_at"), field="tested_at", row=row, errors=errors) or now
        if tested_at > now + CLOCK_SLACK:
            errors.append({"row": row, "field": "tested_at", "message": _("is in the future")})
        received_at = aware(it.get("received_at"), field="received_at", row=row, errors=errors)
        if received_at is not None and received_at > now + CLOCK_SLACK:
            errors.append({"row": row, "field": "received_at", "message": _("is in the future")})
        elif received_at is not None and tested_at < received_at:
            errors.append({"row": row, "field": "tested_at", "message": _("is before the lab received the tube (received_at)")})
        if it.get("status", "final") not in ("final", "corrected"):
            errors.append({"row": row, "field": "status", "message": _("%(value)r is not final or corrected") % {"value": it.get("status")}})
        clean.append((row, code, result, ct1, ct2, (it.get("lab") or lab or "")[:100], tested_at, received_at, it))
    return clean


def _tubes(codes: set[str]) -> tuple[dict[str, dict], dict[int, dt.datetime]]:
    """The tubes by code, and the latest swab in each: a tube is received and tested only after its samples were taken."""
    tubes = {}
    for chunk in chunks(codes):
        for t in Tube.objects.filter(code__in=chunk).values(*TUBE_FIELDS):
            tubes[t["code"]] = t
    last_sampled: dict[int, dt.datetime] = {}
    for chunk in chunks([t["id"] for t in tubes.values()]):
        last_sampled.update(Sample.objects.filter(tube_id__in=chunk).values("tube_id").annotate(last=Max("sampled_at"))
                            .values_list("tube_id", "last"))
    return tubes, last_sampled


def _tube_problem(t: dict, *, code, tested_at, received_at, sampled) -> tuple[str, str] | None:
    """Why a result cannot go on a tube not tested yet: (field, message), or None."""
    if t["count"] == 0:
        return "tube", f"tube {code} holds no sample"
    received = received_at or t["received_at"]
    if sampled is not None and received is not None and received < sampled:
        return "received_at", f"is before the last sample of tube {code} was taken ({clock.local(sampled):%Y-%m-%d %H:%M})"
    if sampled is not None and tested_at < sampled:
        return "tested_at", f"is before the last sample of tube {code} was taken ({clock.local(sampled):%Y-%m-%d %H:%M})"
    return None


def _correction_problem(t: dict, result: str, confirmed_pools: set[int]) -> str | None:
    """Why a corrected result cannot replace a tube's result here, or None."""
    if t["result"] != "positive" or result == "positive":
        return None
    if t["is_retest"]:
        return _("tube %(code)s was reported positive and its person as a case; correct the case instead") % {"code": t["code"]}
    if result != "negative":
        return _("a positive pool (tube %(code)s) can only be corrected to negative") % {"code": t["code"]}
    if t["id"] in confirmed_pools:
        return _("a member of pool %(code)s retested positive; the pool result cannot be corrected to negative") % {
            "code": t["code"]}
    return None


def _confirmed_pools(clean: list[tuple], tubes: dict) -> set[int]:
    """Positive pools with a member whose single-tube retest came back positive (only looked up for corrections)."""
    ids = [tubes[c[1]]["id"] for c in clean if c[1] in tubes and c[8].get("status") == "corrected"
           and tubes[c[1]]["result"] == "positive"]
    if not ids:
        return set()
    return set(Retest.objects.filter(pool_tube_id__in=ids, status=RetestStatus.POSITIVE).values_list("pool_tube_id", flat=True))


# long: one pass over the rows, each rule a few lines (unknown tube, repeats, corrections, timing) in file order
def _results_todo(*, actor, clean: list[tuple], tubes: dict, last_sampled: dict, errors: list[dict]) -> list[tuple]:
    """The results to apply: a tube once (the same result twice is fine, two results are an error) and not tested
    yet, or a corrected result (status corrected) that replaces the tube's current one."""
    first_row: dict[str, tuple[int, str, int]] = {}
    confirmed = _confirmed_pools(clean, tubes)
    todo = []
    for row, code, result, ct1, ct2, lab_name, tested_at, received_at, it in clean:
        t = tubes.get(code)
        if t is None or not access.can(actor, "screening.view", t["region_path"]):
            if rules.barcode_ok(code):
                errors.append({"row": row, "field": "tube", "message": _("unknown tube %(code)s") % {"code": code}})
            continue
        if result is None:
            continue
        corrected = it.get("status") == "corrected"
        entry = (t, result, ct1, ct2, lab_name, tested_at, received_at, it)
        if code in first_row:
            prev_row, prev, at = first_row[code]
            if corrected and at >= 0:  # a correction later in the same input replaces the earlier result
                todo[at] = entry
                first_row[code] = (row, result, at)
            elif prev != result:
                errors.append({"row": row, "field": "result",
                               "message": _("tube %(code)s is reported %(prev)s in row %(row)s and %(result)s here") % {
                                   "code": code, "prev": Result(prev).label, "row": prev_row, "result": Result(result).label}})
            continue
        if t["status"] == TubeStatus.TESTED and not corrected:
            if t["result"] != result:
                errors.append({"row": row, "field": "result", "message":
                               _("tube %(code)s was reported %(result)s already; a different result needs a correction") % {
                                   "code": code, "result": Result(t["result"]).label}})
            first_row[code] = (row, result, -1)
            continue
        if t["status"] == TubeStatus.TESTED:
            problem = ("result", _correction_problem(t, result, confirmed))
        else:
            problem = _tube_problem(t, code=code, tested_at=tested_at, received_at=received_at,
                                    sampled=last_sampled.get(t["id"])) or ("", None)
        if problem[1] is not None:
            errors.append({"row": row, "field": problem[0], "message": problem[1]})
            continue
        first_row[code] = (row, result, len(todo))
        todo.append(entry)
    return todo


def results_check(*, actor, items: list[dict], lab: str = "") -> tuple[list[tuple], list[dict], int]:
    """Tube results checked without writing: (what to apply, problems by row and field, rows skipped)."""
    now = clock.now()
    errors: list[dict] = []
    clean = _clean_rows(items, lab=lab, now=now, errors=errors)
    tubes, last_sampled = _tubes({code for _row, code, *_rest in clean})
    for p in {t["region_path"] for t in tubes.values()}:
        if access.can(actor, "screening.view", p):
            require(actor, ("result", "change"), p)
    todo = _results_todo(actor=actor, clean=clean, tubes=tubes, last_sampled=last_sampled, errors=errors)
    errors.sort(key=lambda e: (e.get("row", 0), e["field"]))
    return todo, errors, len(clean) - len(todo)


def results_apply(*, actor, items: list[dict], lab: str = "", source: str = "") -> dict:
    """Apply tube results: negatives released, positive pools held with retests, positive single tubes reported as cases."""
    todo, errors, skipped = results_check(actor=actor, items=items, lab=lab)
    if errors:
        raise ServiceError(_("%(len_errors)s problems; nothing was imported. First: row %(get_row)s, %(field)s: %(message)s") % {
            "len_errors": len(errors), "get_row": errors[0].get("row"), "field": errors[0]["field"],
            "message": errors[0]["message"]}, code="invalid_rows", fields=errors)
    return _apply(actor=actor, todo=todo, now=clock.now(), source=source, skipped=skipped)


def _set_sample_results(tube_ids: list[int], result: str) -> None:
    """The samples of these tubes take `result`. PostgreSQL: one UPDATE with the ids as an array (a city-wide import
    is 100,000 tubes, a million samples); SQLite: IN lists of CHUNK ids (its bound-parameter limit)."""
    table = Sample._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"UPDATE {table} SET result = %s WHERE tube_id = ANY(%s::bigint[])", [result, tube_ids])
            return
        for chunk in chunks(tube_ids):
            cur.execute(f"UPDATE {table} SET result = %s WHERE tube_id IN ({', '.join(['%s'] * len(chunk))})", [result, *chunk])


def _mark_samples(by_result: dict[str, list[int]], retest_tubes: set[int]) -> None:
    """Samples take their tube's result; a positive pool's samples are held until their retests."""
    _set_sample_results(by_result["negative"], SampleResult.NEGATIVE)
    _set_sample_results(by_result["invalid"], SampleResult.INVALID)
    for chunk in chunks(by_result["positive"]):
        Sample.objects.filter(tube_id__in=chunk, is_retest=False).exclude(tube_id__in=retest_tubes).update(
            result=SampleResult.HELD)
        Sample.objects.filter(tube_id__in=[i for i in chunk if i in retest_tubes]).update(result=SampleResult.POSITIVE)


def _negatives_to_status(tube_ids: list[int]) -> None:
    """The negative tubes' samples reach people's status after the commit, in chunks of tubes (screening.jobs reads
    their samples: the job's arguments are the tube ids, not a [person, time] pair per sample)."""
    for chunk in chunks(tube_ids, jobs.STATUS_TUBES):
        transaction.on_commit(lambda chunk=chunk: jobs.negative_tubes_to_status.enqueue(chunk))


def _history(todo: list[tuple], *, now: dt.datetime, source: str) -> None:
    """Every result applied kept as a LabResult; a corrected tube's earlier rows stop being current. Written with one
    executemany (a city-wide import is 100,000 tubes: model instances cost more than the insert itself)."""
    corrected = [t["id"] for t, *_ in todo if t["status"] == TubeStatus.TESTED]
    for chunk in chunks(corrected):
        LabResult.objects.filter(tube_id__in=chunk, current=True).update(current=False)
    adapt = connection.ops.adapt_datetimefield_value
    received = adapt(now)
    rows = [(t["id"], t["region_path"], (it.get("source") or source or "")[:20], str(it.get("message_id") or "")[:199],
             str(it.get("loinc") or "")[:20], str(it.get("method") or "")[:10], str(it.get("value") or result)[:24], result,
             it.get("status") or "final", ct1, ct2, lab_name, adapt(tested_at), received, True)
            for t, result, ct1, ct2, lab_name, tested_at, _received_at, it in todo]
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO {LabResult._meta.db_table} (tube_id, region_path, source, message_id, loinc, method, "
                        "value, result, status, ct_orf1ab, ct_n, lab, tested_at, received_at, current) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)


def _apply(*, actor, todo, now, source, skipped) -> dict:
    adapt = connection.ops.adapt_datetimefield_value
    by_result: dict[str, list[int]] = {"negative": [], "positive": [], "invalid": []}
    updates = []
    # a corrected result equal to the current one only restates it (Ct, lab, time): nothing happens again
    restated = {t["id"] for t, result, *_ in todo if t["status"] == TubeStatus.TESTED and t["result"] == result}
    released = [t["id"] for t, result, *_ in todo if t["status"] == TubeStatus.TESTED and t["result"] == "positive"
                and result != "positive"]
    for t, result, ct1, ct2, lab_name, tested_at, received_at, _it in todo:
        if t["id"] not in restated:
            by_result[result].append(t["id"])
        received = received_at or t["received_at"] or tested_at
        closed = t["closed_at"] or received
        updates.append((TubeStatus.TESTED, result, ct1, ct2, lab_name, adapt(closed), adapt(received), adapt(tested_at),
                        adapt(now), t["id"]))
    retest_tubes = {t["id"] for t, *_ in todo if t["is_retest"]}
    held = cases = 0
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.executemany(f"UPDATE {Tube._meta.db_table} SET status = %s, result = %s, ct_orf1ab = %s, ct_n = %s, lab = %s, "
                            "closed_at = %s, received_at = %s, tested_at = %s, reported_at = %s WHERE id = %s", updates)
        if released:
            retests.release_pool(tube_ids=released, now=now)
        _mark_samples(by_result, retest_tubes)
        _negatives_to_status(by_result["negative"])
        neg_retests = [i for i in by_result["negative"] if i in retest_tubes]
        if neg_retests:
            retests.release_retests(tube_ids=neg_retests, now=now)
        pos_pools = [i for i in by_result["positive"] if i not in retest_tubes]
        if pos_pools:
            held = retests.hold_pools(tube_ids=pos_pools, now=now)
        pos_single = [i for i in by_result["positive"] if i in retest_tubes]
        if pos_single:
            cases = retests.report_positive_singles(tube_ids=pos_single, now=now)
        _history(todo, now=now, source=source)
        counts = {"tubes": len(todo), "negative": len(by_result["negative"]), "positive": len(by_result["positive"]),
                  "invalid": len(by_result["invalid"]), "held": held, "cases": cases, "skipped": skipped,
                  "corrected": sum(1 for t, *_ in todo if t["status"] == TubeStatus.TESTED)}
        audit.record(actor, "result.import", object_type="screening.tube", changes={"source": source, **counts})
    return counts
