"""Reading lab results the way the ELR profile (HL7 v2.3 - v2.5.1 ORU^R01) writes them.

Each observation is identified by its code, never its text: OBX-3 (every repetition, primary or alternate
triplet, or a configured local code) looked up in the supported-codes table. SARS-CoV-2 results become
observations; Ct values come only from numeric OBX with a Ct code; ask-at-order-entry answers, other pathogens,
controls and unknown codes are set aside. Coded (SNOMED CT) and free-text values map to cordon's result values;
a value the table does not know is an error naming message, segment and value, never a guess. The specimen id
is SPM-2 (placer part, else filler part), else OBR-3, else OBR-2. Pure: no database.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from cordon.screening.lab import hl7v2
from cordon.screening.lab.codes import Table, loinc_check_ok

CODED_TYPES = ("CE", "CWE", "CNE", "CF")
NUMERIC_TYPES = ("NM", "SN")
STATUS = {"F": "final", "C": "corrected", "P": "preliminary"}
POSITIVE = ("positive", "presumptive_positive", "pooled_positive")
UNSURE = ("invalid", "inconclusive", "unsatisfactory")
CT_RANGE = (0.0, 50.0)
# What can be wrong in a message, in English (services.hl7 gives the officer's language); %(value)s is the value.
PROBLEMS = {
    "no_specimen": "no specimen id (SPM-2, OBR-3 or OBR-2)",
    "status": "result status '%(value)s' is not F (final), C (corrected) or P (preliminary)",
    "value": "'%(value)s' is not a result value cordon knows",
    "ct_comparator": "a Ct value must be a plain number, not '%(value)s'",
    "ct_type": "a Ct value must be sent as a number (OBX-2 NM), not '%(value)s'",
    "ct_number": "'%(value)s' is not a number",
    "ct_range": "Ct %(value)s is outside 0-50",
    "unparseable": "could not be parsed (%(value)s)",
    "not_oru": "is %(value)s, expected ORU^R01",
}


@dataclass
class Observation:
    """One SARS-CoV-2 result as the lab reported it."""

    message: int
    message_id: str
    segment: str
    specimen_id: str
    loinc: str
    method: str
    target: str
    result: str
    status: str
    value: str
    sender: str = ""
    ct: float | None = None
    tested_at: dt.datetime | None = None

    def line(self) -> dict:
        """The JSON line `cordon results parse` prints."""
        out = {"message": self.message, "message_id": self.message_id, "specimen_id": self.specimen_id,
               "loinc": self.loinc, "method": self.method, "result": self.result, "status": self.status}
        if self.ct is not None:
            out["ct"] = self.ct
        return out


@dataclass
class Reading:
    """What an input holds: messages, SARS-CoV-2 observations, Ct values, what was set aside, and problems."""

    messages: list[hl7v2.Raw] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    cts: dict[tuple[int, str], dict[str, float]] = field(default_factory=dict)
    set_aside: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    rejected: dict[int, str] = field(default_factory=dict)
    rejected_codes: dict[int, tuple[str, str]] = field(default_factory=dict)
    panels: Counter = field(default_factory=Counter)
    stray: list[str] = field(default_factory=list)

    def problems(self, index: int) -> list[dict]:
        return [e for e in self.errors if e["message"] == index]

    def summary(self) -> dict:
        """Counts for the last line of `cordon results parse`."""
        results = Counter(o.result for o in self.observations)
        aside = Counter(a["kind"] for a in self.set_aside)
        return {"summary": True, "messages": len(self.messages), "rejected": len(self.rejected),
                "observations": len(self.observations), "results": dict(sorted(results.items())),
                "specimens": len({(o.message, o.specimen_id) for o in self.observations}),
                "ct_values": sum(len(v) for v in self.cts.values()), "set_aside": dict(sorted(aside.items())),
                "panels": dict(sorted(self.panels.items())), "errors": len(self.errors)}


@dataclass
class _Group:
    obr: int | None
    obx: list[int] = field(default_factory=list)
    spm: int | None = None


def identify(msg, seg: str, num: int, fld: int, table: Table) -> str | None:
    """The LOINC code a coded field stands for: any repetition, primary or alternate triplet, or a local code."""
    reps = max(1, hl7v2.repeats(_segment(msg, seg, num), fld))
    local = None
    for rep in range(1, reps + 1):
        for code_c, system_c in ((1, 3), (4, 6)):
            code = hl7v2.get(msg, seg, num, fld, rep, code_c).strip()
            system = hl7v2.get(msg, seg, num, fld, rep, system_c).strip().upper()
            if not code:
                continue
            known_system = system in table.loinc_systems or system in table.snomed_systems
            if code in table.loinc and (system in table.loinc_systems or (not known_system and loinc_check_ok(code))):
                return code
            local = local or table.local_loinc(system, code)
    return local


def _segment(msg: hl7v2.Indexed, name: str, num: int):
    return msg.segment(name, num)


def coded_value(msg, num: int, vtype: str, table: Table) -> str | None:
    """OBX-5 as one of cordon's result values (coded SNOMED CT, or the text the table lists), else None."""
    raw = hl7v2.get(msg, "OBX", num, 5)
    seg = _segment(msg, "OBX", num)
    whole = str(seg[5]) if seg is not None and len(seg) > 5 else ""
    if vtype in CODED_TYPES or "^" in whole:
        for code_c, system_c in ((1, 3), (4, 6)):
            code = hl7v2.get(msg, "OBX", num, 5, 1, code_c).strip()
            system = hl7v2.get(msg, "OBX", num, 5, 1, system_c).strip().upper()
            if code and (system in table.snomed_systems or not system):
                found = table.coded_result(code)
                if found:
                    return found
        for code_c, text_c in ((1, 2), (4, 5)):
            for part in (hl7v2.get(msg, "OBX", num, 5, 1, text_c), hl7v2.get(msg, "OBX", num, 5, 1, code_c)):
                found = table.text_result(part)
                if found:
                    return found
        return None
    return table.text_result(raw)


def _shown(msg, num: int) -> str:
    seg = _segment(msg, "OBX", num)
    try:
        return msg.unescape(str(seg[5]))[:120]
    except IndexError:
        return ""


def _specimen(msg, group: _Group) -> str:
    if group.spm:
        for part in (1, 2):
            found = hl7v2.get(msg, "SPM", group.spm, 2, 1, part, 1).strip()
            if found:
                return found
    if group.obr:
        for fld in (3, 2):
            found = hl7v2.get(msg, "OBR", group.obr, fld, 1, 1).strip()
            if found:
                return found
    return ""


def _groups(msg) -> list[_Group]:
    """OBR groups with their OBX and SPM segments, numbered as extract_field counts them."""
    counts: Counter = Counter()
    groups: list[_Group] = []
    for seg in msg:
        name = str(seg[0])
        counts[name] += 1
        if name == "OBR":
            groups.append(_Group(obr=counts[name]))
        elif name == "OBX":
            if not groups:
                groups.append(_Group(obr=None))
            groups[-1].obx.append(counts[name])
        elif name == "SPM" and groups and groups[-1].spm is None:
            groups[-1].spm = counts[name]
    return groups


class _MessageReader:
    """Reads one parsed ORU^R01 message into the Reading."""

    def __init__(self, raw: hl7v2.Raw, *, table: Table, tz: dt.tzinfo, out: Reading):
        self.raw, self.msg, self.table, self.tz, self.out = raw, hl7v2.Indexed(raw.message), table, tz, out
        self.message_id = hl7v2.get(self.msg, "MSH", 1, 10)
        self.sender = (hl7v2.get(self.msg, "MSH", 1, 4) or hl7v2.get(self.msg, "MSH", 1, 3))[:100]

    def error(self, segment: str, fld: str, value: str, code: str) -> None:
        self.out.errors.append({"message": self.raw.index, "message_id": self.message_id, "segment": segment,
                                "field": fld, "value": value, "code": code, "problem": PROBLEMS[code] % {"value": value}})

    def read(self) -> None:
        for group in _groups(self.msg):
            self.group(group)

    def group(self, group: _Group) -> None:
        specimen = _specimen(self.msg, group)
        if group.obr:
            panel = identify(self.msg, "OBR", group.obr, 4, self.table)
            if panel and self.table.loinc[panel]["kind"] == "panel":
                self.out.panels[panel] += 1
        when = None
        if group.obr:
            when = (hl7v2.timestamp(hl7v2.get(self.msg, "OBR", group.obr, 22), tz=self.tz)
                    or hl7v2.timestamp(hl7v2.get(self.msg, "OBR", group.obr, 7), tz=self.tz))
        order_status = hl7v2.get(self.msg, "OBR", group.obr, 25).strip().upper() if group.obr else ""
        found: list[Observation] = []
        for num in group.obx:
            self.observation(num, specimen=specimen, when=when, order_status=order_status, found=found)
        cts = self.out.cts.get((self.raw.index, specimen), {})
        for o in found:
            o.ct = cts.get(o.target)

    def observation(self, num: int, *, specimen: str, when, order_status: str, found: list) -> None:
        seg = f"OBX[{num}]"
        loinc = identify(self.msg, "OBX", num, 3, self.table)
        code = hl7v2.get(self.msg, "OBX", num, 3).strip()
        if loinc is None:
            self.out.set_aside.append({"message": self.raw.index, "segment": seg, "code": code, "kind": "unknown"})
            return
        entry = self.table.loinc[loinc]
        kind = entry["kind"]
        if kind not in ("result", "ct"):
            self.out.set_aside.append({"message": self.raw.index, "segment": seg, "code": loinc, "kind": kind})
            return
        if not specimen:
            self.error(seg, "SPM-2", "", "no_specimen")
            return
        vtype = hl7v2.get(self.msg, "OBX", num, 2).strip().upper()
        if kind == "ct":
            self.ct(num, seg=seg, specimen=specimen, target=entry.get("target", ""), vtype=vtype)
            return
        flag = (hl7v2.get(self.msg, "OBX", num, 11).strip().upper() or order_status)
        status = STATUS.get(flag)
        if status is None:
            self.error(seg, "OBX-11", flag, "status")
            return
        result = coded_value(self.msg, num, vtype, self.table)
        shown = _shown(self.msg, num)
        if result is None:
            self.error(seg, "OBX-5", shown, "value")
        tested = hl7v2.timestamp(hl7v2.get(self.msg, "OBX", num, 19), tz=self.tz) or when
        obs = Observation(message=self.raw.index, message_id=self.message_id, segment=seg, specimen_id=specimen,
                          loinc=loinc, method=entry["method"], target=entry.get("target", ""),
                          result=result or "unrecognised", status=status, value=shown, sender=self.sender,
                          tested_at=tested)
        self.out.observations.append(obs)
        found.append(obs)

    def ct(self, num: int, *, seg: str, specimen: str, target: str, vtype: str) -> None:
        value = hl7v2.get(self.msg, "OBX", num, 5).strip()
        if vtype == "SN":  # structured numeric: comparator ^ number
            comparator = value
            value = hl7v2.get(self.msg, "OBX", num, 5, 1, 2).strip()
            if comparator not in ("", "="):
                self.error(seg, "OBX-5", comparator, "ct_comparator")
                return
        if vtype not in NUMERIC_TYPES:
            self.error(seg, "OBX-2", vtype, "ct_type")
            return
        try:
            ct = float(value)
        except ValueError:
            self.error(seg, "OBX-5", value, "ct_number")
            return
        if not CT_RANGE[0] <= ct <= CT_RANGE[1]:
            self.error(seg, "OBX-5", value, "ct_range")
            return
        self.out.cts.setdefault((self.raw.index, specimen), {})[target] = ct


def read(data: str | bytes, *, table: Table, tz: dt.tzinfo) -> Reading:
    """Everything an input holds: every message read, or rejected with the reason (not ORU^R01, unparseable)."""
    out = Reading()
    out.messages, out.stray = hl7v2.split(data)
    for raw in out.messages:
        if raw.message is None:
            out.rejected_codes[raw.index] = ("unparseable", raw.problem)
            out.rejected[raw.index] = PROBLEMS["unparseable"] % {"value": raw.problem}
            continue
        kind = "^".join(p for p in (hl7v2.get(raw.message, "MSH", 1, 9, 1, 1), hl7v2.get(raw.message, "MSH", 1, 9, 1, 2)) if p)
        if kind != "ORU^R01":
            out.rejected_codes[raw.index] = ("not_oru", kind or "-")
            out.rejected[raw.index] = PROBLEMS["not_oru"] % {"value": kind or "-"}
            continue
        _MessageReader(raw, table=table, tz=tz, out=out).read()
    return out


def tube_result(results: list[str], tube_map: dict[str, str]) -> tuple[str, str]:
    """One specimen's observations as one tube result: any positive wins, then any unsure (re-sample), else negative.
    Returns (tube result, the detailed value it came from)."""
    for group in (POSITIVE, UNSURE):
        for r in results:
            if r in group:
                return tube_map[r], r
    return tube_map[results[0]], results[0]


def tube_items(reading: Reading, table: Table) -> list[dict]:
    """One row per (message, specimen) for the tube import: final and corrected results only (a preliminary
    result waits for the final one), Ct values by target (ORF1ab; N, else N1, else N2)."""
    by_specimen: dict[tuple[int, str], list[Observation]] = {}
    for o in reading.observations:
        if o.status != "preliminary" and o.result != "unrecognised":
            by_specimen.setdefault((o.message, o.specimen_id), []).append(o)
    items = []
    for (message, specimen), obs in by_specimen.items():
        result, value = tube_result([o.result for o in obs], table.tube)
        cts = reading.cts.get((message, specimen), {})
        first = obs[0]
        items.append({"row": message, "tube": specimen, "result": result, "value": value,
                      "ct_orf1ab": cts.get("orf1ab"), "ct_n": next((cts[t] for t in ("n", "n1", "n2") if t in cts), None),
                      "lab": first.sender, "tested_at": first.tested_at,
                      "status": "corrected" if any(o.status == "corrected" for o in obs) else "final",
                      "message_id": first.message_id, "loinc": first.loinc, "method": first.method})
    return items
