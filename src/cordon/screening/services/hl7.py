"""Lab results sent as HL7 v2 ORU^R01 messages (ELR profile), read by cordon.screening.lab and applied with
services.results. Each message is answered on its own (AA accepted, AE with errors, AR rejected): a message whose
SARS-CoV-2 result cannot be read, or whose tube cannot take it, is refused with the reasons; the others are applied
together, atomically."""

from django.conf import settings
from django.utils.translation import gettext as _

from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.screening import lab
from cordon.screening.lab import hl7v2
from cordon.screening.services import results

EMPTY_COUNTS = {"tubes": 0, "negative": 0, "positive": 0, "invalid": 0, "held": 0, "cases": 0, "skipped": 0, "corrected": 0}
MAX_ROUNDS = 5  # refusing a message can expose another's problem (two results for one tube): checked again, a few times


def codes() -> lab.codes.Table:
    """The supported-codes table in force (codes.json plus settings.CORDON_LAB_CODES when set)."""
    return lab.load_codes(settings.CORDON_LAB_CODES or "")


def hl7_read(data: str | bytes) -> lab.Reading:
    """Everything an HL7 input holds, read by code (no writes): observations, Ct values, what was set aside, problems."""
    return lab.read(data, table=codes(), tz=clock.zone())


def hl7_parse(message: str | bytes) -> list[dict]:
    """Tube result rows from HL7 v2 ORU^R01 text: one per message and specimen (SPM-2, else OBR-3)."""
    return lab.tube_items(hl7_read(message), codes())


def _problem(code: str, value: str) -> str:
    """A problem of cordon.screening.lab.elr.PROBLEMS in the officer's language."""
    texts = {
        "no_specimen": _("no specimen id (SPM-2, OBR-3 or OBR-2)"),
        "status": _("result status '%(value)s' is not F (final), C (corrected) or P (preliminary)"),
        "value": _("'%(value)s' is not a result value cordon knows"),
        "ct_comparator": _("a Ct value must be a plain number, not '%(value)s'"),
        "ct_type": _("a Ct value must be sent as a number (OBX-2 NM), not '%(value)s'"),
        "ct_number": _("'%(value)s' is not a number"),
        "ct_range": _("Ct %(value)s is outside 0-50"),
        "unparseable": _("could not be parsed (%(value)s)"),
        "not_oru": _("is %(value)s, expected ORU^R01"),
    }
    return texts[code] % {"value": value}


def _describe(e: dict) -> str:
    return _("message %(n)s (%(id)s), %(segment)s %(field)s: %(problem)s") % {
        "n": e["message"], "id": e["message_id"] or "-", "segment": e["segment"], "field": e["field"],
        "problem": _problem(e["code"], e["value"])}


def _refusals(reading: lab.Reading) -> dict[int, list[str]]:
    """Problems by message index: unparseable or not ORU^R01, unreadable values."""
    out: dict[int, list[str]] = {i: [_("message %(n)s: %(problem)s") % {"n": i, "problem": _problem(*reading.rejected_codes[i])}]
                                 for i in reading.rejected}
    for e in reading.errors:
        out.setdefault(e["message"], []).append(_describe(e))
    return out


def _check_tubes(*, actor, items: list[dict], refused: dict[int, list[str]]) -> list[dict]:
    """The rows whose tubes can take them; the others' messages join `refused` with the reason."""
    good = [i for i in items if i["row"] not in refused]
    for _round in range(MAX_ROUNDS):
        _todo, errors, _skipped = results.results_check(actor=actor, items=good)
        if not errors:
            return good
        for e in errors:
            refused.setdefault(e["row"], []).append(_("message %(n)s, %(field)s: %(problem)s") % {
                "n": e["row"], "field": e["field"], "problem": e["message"]})
        good = [i for i in good if i["row"] not in refused]
    for i in good:  # still not settled: refuse the rest rather than acknowledge what was not applied
        refused.setdefault(i["row"], []).append(_("message %(n)s: %(problem)s") % {
            "n": i["row"], "problem": _("could not be checked against the other messages; send it again")})
    return []


def results_import_hl7(*, actor, message: str | bytes) -> dict:
    """Import lab results sent as HL7 v2 ORU^R01 messages; answers each message with an ACK (AA, AE or AR)."""
    reading = hl7_read(message)
    if not reading.messages:
        raise ServiceError.field("message", _("not an HL7 v2 message (no MSH segment)"))
    refused = _refusals(reading)
    items = [{**i, "source": "hl7"} for i in lab.tube_items(reading, codes())]
    good = _check_tubes(actor=actor, items=items, refused=refused)
    if refused and not [r for r in reading.messages if r.index not in refused]:
        fields = [{"row": n, "field": "message", "message": p} for n, problems in sorted(refused.items()) for p in problems]
        raise ServiceError(_("%(n)s of %(total)s messages refused; nothing was imported. First: %(first)s") % {
            "n": len(refused), "total": len(reading.messages), "first": fields[0]["message"]},
            code="hl7_refused", fields=fields)
    counts = results.results_apply(actor=actor, items=good, source="hl7") if good else dict(EMPTY_COUNTS)
    now = clock.now()
    answers = []
    for raw in reading.messages:
        problems = refused.get(raw.index, [])
        code = "AR" if raw.index in reading.rejected else ("AE" if problems else "AA")
        answers.append({"message": raw.index, "message_id": hl7v2.get(raw.message, "MSH", 1, 10) if raw.message else "",
                        "ack_code": code, "errors": problems,
                        "ack": hl7v2.ack(raw, code, problems[0] if problems else "", now=now, errors=problems)})
    return {**counts, "accepted": sum(1 for a in answers if a["ack_code"] == "AA"), "refused": len(refused),
            "messages": answers}
