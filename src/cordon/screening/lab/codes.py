"""The supported-codes table (codes.json next to this file, plus an optional extra file of the same shape):
LOINC observation codes by kind, configured local codes, coded (SNOMED CT) and free-text result values."""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).with_name("codes.json")
LOINC_SHAPE = re.compile(r"^\d{1,7}-\d$")
RESULT_VALUES = ("positive", "negative", "presumptive_positive", "pooled_positive", "invalid", "inconclusive",
                 "unsatisfactory")
KINDS = ("result", "ct", "quantity", "panel", "aoe", "other", "control")


def loinc_check_ok(code: str) -> bool:
    """A LOINC code's mod-10 check digit is right (so a bare or mislabelled code is still recognised safely)."""
    if not LOINC_SHAPE.match(code or ""):
        return False
    body, check = code.split("-")
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return (10 - total % 10) % 10 == int(check)


@dataclass(frozen=True)
class Table:
    loinc: dict[str, dict]
    local: dict[tuple[str, str], str]
    coded: dict[str, str]
    text: dict[str, str]
    tube: dict[str, str]
    loinc_systems: frozenset[str]
    snomed_systems: frozenset[str]
    names: dict[str, str] = field(default_factory=dict)

    def entry(self, loinc: str) -> dict | None:
        return self.loinc.get(loinc)

    def local_loinc(self, system: str, code: str) -> str | None:
        """The LOINC code a configured local code stands for (system '' matches any system)."""
        code = (code or "").strip().upper()
        return self.local.get(((system or "").strip().upper(), code)) or self.local.get(("", code))

    def coded_result(self, code: str) -> str | None:
        return self.coded.get((code or "").strip())

    def text_result(self, text: str) -> str | None:
        key = " ".join((text or "").strip().lower().split())
        return self.text.get(key)


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = [*out[key], *value]
        else:
            out[key] = value
    return out


def validate(data: dict) -> list[str]:
    """Problems in a codes table (empty when it is usable)."""
    problems = []
    for code, e in data.get("loinc", {}).items():
        if not loinc_check_ok(code):
            problems.append(f"loinc {code}: not a LOINC code (check digit)")
        if e.get("kind") not in KINDS:
            problems.append(f"loinc {code}: kind must be one of {', '.join(KINDS)}")
        if e.get("kind") in ("result", "ct") and e.get("method") not in ("pcr", "antigen"):
            problems.append(f"loinc {code}: method must be pcr or antigen")
    for e in data.get("local", []):
        if e.get("loinc") not in data.get("loinc", {}):
            problems.append(f"local {e.get('system')}/{e.get('code')}: LOINC {e.get('loinc')} is not in the table")
    for key, value in [*data.get("coded_results", {}).items(), *data.get("text_results", {}).items()]:
        if value not in RESULT_VALUES:
            problems.append(f"result {key}: {value} is not one of {', '.join(RESULT_VALUES)}")
    return problems


@cache
def load(extra: str = "") -> Table:
    """The table from codes.json, with the file `extra` (same shape) merged over it when given."""
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    if extra:
        data = _merge(data, json.loads(Path(extra).read_text(encoding="utf-8")))
    problems = validate(data)
    if problems:
        raise ValueError("lab codes table: " + "; ".join(problems))
    return Table(
        loinc=data["loinc"],
        local={((e.get("system") or "").upper(), e["code"].upper()): e["loinc"] for e in data.get("local", [])},
        coded=data["coded_results"], text={" ".join(k.lower().split()): v for k, v in data["text_results"].items()},
        tube=data["tube_results"], loinc_systems=frozenset(s.upper() for s in data["loinc_systems"]),
        snomed_systems=frozenset(s.upper() for s in data["snomed_systems"]), names=data.get("coded_result_names", {}),
    )
