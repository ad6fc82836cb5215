"""Dated rule sets: every duration, window, threshold and list is data, chosen by date.

Rule sets ship as fixtures (rulesets/meta.json plus one file per section, each holding the
three rule sets: protocol-8, protocol-9, measures-2022-11). The city puts one in force from a
date (RuleSetAdoption); `in_force(on)` returns the latest adoption on or before that day.
Services read the rule set here and pass plain values into rules.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock, events
from cordon.core.models import RuleSet, RuleSetAdoption

RULESET_DIR = Path(__file__).parent / "rulesets"
# after a new rule set is adopted (on commit): ruleset=Rules, previous=Rules|None, actor=user, effective_from=date
RULESET_CHANGED = events.Event("core.ruleset_changed", "A rule set was adopted: open schedules are recomputed.")


@dataclass(frozen=True)
class Rules:
    code: str
    name: str
    effective_from: dt.date
    data: dict[str, Any] = field(repr=False)

    def section(self, name: str) -> dict[str, Any]:
        return self.data.get(name) or {}

    def get(self, dotted: str, default=None):
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node


def load_fixture_files() -> dict[str, dict]:
    """{code: {"meta": {...}, "data": {section: {...}}}} read from the rulesets folder."""
    meta = json.loads((RULESET_DIR / "meta.json").read_text(encoding="utf-8"))
    out = {code: {"meta": m, "data": {}} for code, m in meta.items()}
    for path in sorted(RULESET_DIR.glob("*.json")):
        if path.name == "meta.json":
            continue
        content = json.loads(path.read_text(encoding="utf-8"))
        for code in out:
            if code not in content:
                raise ValueError(_("%(name)s: section has no entry for rule set %(code)s") % {"name": path.name, "code": code})
            out[code]["data"][path.stem] = content[code]
    return out


def sync_fixtures() -> None:
    """Upsert the shipped rule sets; add their official adoptions when the city has none."""
    for code, item in load_fixture_files().items():
        meta = item["meta"]
        RuleSet.objects.update_or_create(
            code=code,
            defaults={"name": meta["name"], "name_en": meta.get("name_en", ""),
                      "effective_from": dt.date.fromisoformat(meta["effective_from"]), "data": item["data"]},
        )
    if not RuleSetAdoption.objects.exists():
        for rs in RuleSet.objects.all():
            RuleSetAdoption.objects.create(ruleset=rs, effective_from=rs.effective_from, note="official date")
    _cache.clear()


_cache: dict = {}  # day -> rules in force, and ("code", code) -> rules


def _as_rules(rs) -> Rules:
    return Rules(code=rs.code, name=rs.name, effective_from=rs.effective_from, data=rs.data)


def in_force(on: dt.date | dt.datetime | None = None) -> Rules:
    """The rule set in force on a day (today by default)."""
    if on is None:
        on = clock.today()
    elif isinstance(on, dt.datetime):
        on = clock.day_of(on) if timezone.is_aware(on) else on.date()
    hit = _cache.get(on)
    if hit is not None:
        return hit
    adoption = RuleSetAdoption.objects.filter(effective_from__lte=on).select_related("ruleset").order_by(
        "-effective_from", "-id").first()
    if adoption is not None:
        rules = _as_rules(adoption.ruleset)
    else:
        rs = RuleSet.objects.order_by("effective_from").first()
        if rs is None:
            sync_fixtures()
            rs = RuleSet.objects.order_by("effective_from").first()
        rules = _as_rules(rs)
    if len(_cache) > 512:
        _cache.clear()
    _cache[on] = rules
    return rules


def by_code(code: str) -> Rules:
    """One rule set by its code (cached with the in-force lookups; cleared when the fixtures are synced)."""
    key = ("code", code)
    hit = _cache.get(key)
    if hit is None:
        hit = _cache[key] = _as_rules(RuleSet.objects.get(code=code))
    return hit


def ruleset_adopt(*, actor, code: str, effective_from: dt.date, note: str = "") -> Rules:
    """Put a rule set in force from a date; open schedules are recomputed by listeners of ruleset_changed."""
    access.require(actor, "core.change")
    previous = in_force(effective_from)
    with transaction.atomic():
        rs = RuleSet.objects.get(code=code)
        adoption = RuleSetAdoption.objects.create(ruleset=rs, effective_from=effective_from, adopted_by=access.user_or_none(actor), note=note)
        audit.record(actor, "ruleset.adopt", adoption, changes={"code": code, "effective_from": effective_from,
                                                                "previous": previous.code, "note": note})
        _cache.clear()
        rules = _as_rules(rs)
        transaction.on_commit(lambda: RULESET_CHANGED.emit(ruleset=rules, previous=previous, actor=actor,
                                                           effective_from=effective_from))
    return rules


def clear_cache() -> None:
    _cache.clear()
