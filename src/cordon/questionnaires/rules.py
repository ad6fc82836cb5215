"""Pure rules of questionnaires (no ORM): reading a definition, conditions, checking answers, checking a
definition before it is published, editing a draft's definition, and the difference between two versions.

Answers are normalised to JSON values: text -> str, integer -> int, decimal -> float, date -> "YYYY-MM-DD",
datetime -> ISO 8601 in the city's zone, single -> the choice value, multiple -> list of values (in the
definition's order), yes/no -> bool. A question whose condition does not hold is not asked: its answer is
dropped and it is never required."""

import copy
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

from cordon.questionnaires.enums import ConditionOp, QuestionType

CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE)
NUMBER_TYPES = (QuestionType.INTEGER, QuestionType.DECIMAL)
CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
YES = ("yes", "true", "1", "on", "是")
NO = ("no", "false", "0", "off", "否")
QUESTION_KEYS = ("code", "type", "label", "label_en", "required", "min", "max", "choices", "condition", "help")


def text(item: dict, key: str = "label") -> str:
    """The item's text in the active language: `<key>_en` in English when it has one, else `<key>`."""
    if (translation.get_language() or "").startswith("en") and item.get(f"{key}_en"):
        return item[f"{key}_en"]
    return item.get(key, "")


def sections(definition: dict) -> list[dict]:
    """The definition's sections (each with its questions), in order."""
    return list((definition or {}).get("sections") or [])


def questions(definition: dict) -> list[dict]:
    """Every question of the definition, in order."""
    return [q for s in sections(definition) for q in s.get("questions") or []]


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def holds(condition: dict | None, answers: dict) -> bool:
    """Does a question's condition hold on the (clean) answers so far? No condition: it always holds."""
    if not condition:
        return True
    value, want, op = answers.get(condition.get("question")), condition.get("value"), condition.get("op", ConditionOp.EQUALS)
    if op == ConditionOp.ANSWERED:
        return not _empty(value)
    if _empty(value):
        return False
    values = value if isinstance(value, list) else [value]
    wanted = _as_condition_value(want, value)
    if op == ConditionOp.EQUALS:
        return value == wanted
    if op == ConditionOp.NOT_EQUALS:
        return value != wanted
    if op == ConditionOp.CONTAINS:
        return wanted in values or (isinstance(value, str) and isinstance(wanted, str) and wanted in value)
    if op == ConditionOp.ANY_OTHER_THAN:
        return any(v != wanted for v in values)
    return False


def _as_condition_value(want, value):
    """The condition's value in the answer's type (a yes/no condition written "yes" compares with True)."""
    if isinstance(value, bool) and isinstance(want, str):
        return want.strip().lower() in YES
    if isinstance(value, int | float) and not isinstance(value, bool) and isinstance(want, str):
        try:
            return type(value)(want)
        except ValueError:
            return want
    return want


def _bound(q: dict, key: str):
    value = q.get(key)
    return None if value in (None, "") else Decimal(str(value))


def _number(q: dict, raw) -> tuple[object, str]:
    """(value, error) for a number question."""
    try:
        if isinstance(raw, bool):
            raise InvalidOperation
        number = Decimal(str(raw).strip())
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        return None, (_("a whole number") if q["type"] == QuestionType.INTEGER else _("a number"))
    if q["type"] == QuestionType.INTEGER and number != number.to_integral_value():
        return None, _("a whole number")
    low, high = _bound(q, "min"), _bound(q, "max")
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            return None, _("between %(min)s and %(max)s") % {"min": low, "max": high}
        if low is not None:
            return None, _("at least %(min)s") % {"min": low}
        return None, _("at most %(max)s") % {"max": high}
    return (int(number) if q["type"] == QuestionType.INTEGER else float(number)), ""


def _date(raw) -> tuple[object, str]:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.isoformat(), ""
    try:
        return dt.date.fromisoformat(str(raw).strip()).isoformat(), ""
    except ValueError:
        return None, _("a date (YYYY-MM-DD)")


def _datetime(raw, aware) -> tuple[object, str]:
    if not isinstance(raw, dt.datetime):
        try:
            raw = dt.datetime.fromisoformat(str(raw).strip())
        except ValueError:
            return None, _("a date and time (YYYY-MM-DD HH:MM)")
    return aware(raw).isoformat(timespec="minutes"), ""


def _choice_values(q: dict) -> list[str]:
    return [str(c["value"]) for c in q.get("choices") or []]


def _one(q: dict, raw, aware) -> tuple[object, str]:
    """(clean value, error message) for a non-empty raw answer to question q."""
    kind = q["type"]
    if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
        limit = 200 if kind == QuestionType.TEXT else 5000
        value = str(raw).strip()
        return (value, "") if len(value) <= limit else (None, _("at most %(n)s characters") % {"n": limit})
    if kind in NUMBER_TYPES:
        return _number(q, raw)
    if kind == QuestionType.DATE:
        return _date(raw)
    if kind == QuestionType.DATETIME:
        return _datetime(raw, aware)
    if kind == QuestionType.YES_NO:
        if isinstance(raw, bool):
            return raw, ""
        word = str(raw).strip().lower()
        if word in YES or word in NO:
            return word in YES, ""
        return None, _("yes or no")
    allowed = _choice_values(q)
    if kind == QuestionType.SINGLE:
        value = str(raw)
        return (value, "") if value in allowed else (None, _("not one of the choices"))
    picked = [str(v) for v in (raw if isinstance(raw, list | tuple) else [raw]) if not _empty(v)]
    unknown = [v for v in picked if v not in allowed]
    if unknown:
        return None, _("not one of the choices: %(values)s") % {"values": ", ".join(unknown)}
    exclusive = {str(c["value"]) for c in q.get("choices") or [] if c.get("exclusive")}
    if len(picked) > 1 and exclusive & set(picked):
        labels = [text(c) for c in q["choices"] if str(c["value"]) in exclusive & set(picked)]
        return None, _("%(choice)s cannot be chosen with other answers") % {"choice": "、".join(labels)}
    return [v for v in allowed if v in picked], ""


def check_answers(definition: dict, data: dict, *, aware=lambda d: d) -> tuple[dict, list[dict]]:
    """(clean answers, errors) for raw answers `data` to the definition. Each error is {"field": question code,
    "message": "<question label>: <what is wrong>"} in the active language; `aware` makes a typed date-time
    aware in the city's zone."""
    clean: dict = {}
    errors: list[dict] = []
    for q in questions(definition):
        code = q["code"]
        if not holds(q.get("condition"), clean):
            continue
        raw = data.get(code)
        if _empty(raw):
            if q.get("required"):
                errors.append({"field": code, "message": _("%(question)s: this question must be answered") % {"question": text(q)}})
            continue
        value, problem = _one(q, raw, aware)
        if problem:
            errors.append({"field": code, "message": _("%(question)s: %(problem)s") % {"question": text(q), "problem": problem}})
        else:
            clean[code] = value
    return clean, errors


def definition_problems(definition: dict) -> list[dict]:
    """What stops a definition from being published: {"field", "message"} each (field = the section or question code)."""
    problems: list[dict] = []
    seen: set[str] = set()
    section_codes: set[str] = set()
    if not questions(definition):
        problems.append({"field": "definition", "message": _("a questionnaire needs at least one question")})
    for s in sections(definition):
        if not CODE.match(str(s.get("code", ""))) or s["code"] in section_codes:
            problems.append({"field": str(s.get("code", "")), "message": _("section code must be unique: lower-case letters, digits and _")})
        section_codes.add(str(s.get("code", "")))
        for q in s.get("questions") or []:
            problems += [{"field": str(q.get("code", "")), "message": m} for m in question_problems(q, earlier=seen, all_questions=questions(definition))]
            seen.add(str(q.get("code", "")))
    return problems


def question_problems(q: dict, *, earlier: set[str], all_questions: list[dict]) -> list[str]:
    """What is wrong with one question (its code unique among `earlier`, its type, range, choices, condition)."""
    out = []
    code = str(q.get("code", ""))
    if not CODE.match(code):
        out.append(_("question code %(code)r: lower-case letters, digits and _, starting with a letter") % {"code": code})
    elif code in earlier:
        out.append(_("question code %(code)s is used twice") % {"code": code})
    if q.get("type") not in QuestionType.values:
        out.append(_("unknown question type %(type)s") % {"type": q.get("type")})
    if not str(q.get("label", "")).strip():
        out.append(_("question %(code)s has no text") % {"code": code})
    if q.get("type") in NUMBER_TYPES:
        try:
            low, high = _bound(q, "min"), _bound(q, "max")
        except InvalidOperation:
            low = high = None
            out.append(_("question %(code)s: minimum and maximum must be numbers") % {"code": code})
        if low is not None and high is not None and low > high:
            out.append(_("question %(code)s: the minimum is above the maximum") % {"code": code})
    if q.get("type") in CHOICE_TYPES:
        values = _choice_values(q)
        if not values:
            out.append(_("question %(code)s needs choices") % {"code": code})
        if len(set(values)) != len(values):
            out.append(_("question %(code)s has a choice twice") % {"code": code})
    condition = q.get("condition")
    if condition:
        target = condition.get("question")
        if target not in earlier:
            out.append(_("question %(code)s depends on %(target)s, which is not an earlier question") % {"code": code, "target": target})
        if condition.get("op") not in ConditionOp.values:
            out.append(_("question %(code)s: unknown condition %(op)s") % {"code": code, "op": condition.get("op")})
        other = next((x for x in all_questions if x.get("code") == target), None)
        if other and other.get("type") in CHOICE_TYPES and condition.get("op") != ConditionOp.ANSWERED \
                and str(condition.get("value")) not in _choice_values(other):
            out.append(_("question %(code)s: %(value)s is not a choice of %(target)s") % {"code": code, "value": condition.get("value"), "target": target})
    return out


# Editing a draft's definition: each returns a new definition (the argument is not changed).

def _find_section(d: dict, code: str) -> dict:
    for s in d["sections"]:
        if s["code"] == code:
            return s
    raise KeyError(code)


def section_add(definition: dict, *, code: str, title: str, title_en: str = "") -> dict:
    """The definition with a new, empty section at the end."""
    d = copy.deepcopy(definition) or {}
    d.setdefault("sections", []).append({"code": code, "title": title, **({"title_en": title_en} if title_en else {}), "questions": []})
    return d


def section_remove(definition: dict, *, code: str) -> dict:
    """The definition without the section (and its questions)."""
    d = copy.deepcopy(definition)
    d["sections"] = [s for s in d.get("sections", []) if s["code"] != code]
    return d


def _move(items: list, index: int, by: int) -> None:
    to = index + by
    if 0 <= index < len(items) and 0 <= to < len(items):
        items[index], items[to] = items[to], items[index]


def section_move(definition: dict, *, code: str, by: int) -> dict:
    """The definition with the section moved up (by=-1) or down (by=1)."""
    d = copy.deepcopy(definition)
    codes = [s["code"] for s in d["sections"]]
    _move(d["sections"], codes.index(code), by)
    return d


def question_put(definition: dict, *, section: str, question: dict) -> dict:
    """The definition with the question replaced where its code already is, else added at the end of the section."""
    d = copy.deepcopy(definition)
    q = {k: question[k] for k in QUESTION_KEYS if k in question and question[k] not in (None, "", [], {})}
    q["required"] = bool(question.get("required"))
    for s in d["sections"]:
        for i, old in enumerate(s["questions"]):
            if old["code"] == q["code"]:
                if s["code"] == section:
                    s["questions"][i] = q
                    return d
                del s["questions"][i]
                break
    _find_section(d, section)["questions"].append(q)
    return d


def question_remove(definition: dict, *, code: str) -> dict:
    """The definition without the question."""
    d = copy.deepcopy(definition)
    for s in d["sections"]:
        s["questions"] = [q for q in s["questions"] if q["code"] != code]
    return d


def question_move(definition: dict, *, code: str, by: int) -> dict:
    """The definition with the question moved up or down inside its section."""
    d = copy.deepcopy(definition)
    for s in d["sections"]:
        codes = [q["code"] for q in s["questions"]]
        if code in codes:
            _move(s["questions"], codes.index(code), by)
    return d


def diff(old: dict, new: dict) -> list[dict]:
    """What changed from `old` to `new`, by question code: {"code", "change": added|removed|changed|moved,
    "label", "fields": [{"name", "old", "new"}]} in the new definition's order, removed ones last."""
    before = {q["code"]: (i, q) for i, q in enumerate(questions(old))}
    after = {q["code"]: (i, q) for i, q in enumerate(questions(new))}
    where_old = {q["code"]: s["code"] for s in sections(old) for q in s.get("questions") or []}
    where_new = {q["code"]: s["code"] for s in sections(new) for q in s.get("questions") or []}
    out = []
    kept_old = [c for c in before if c in after]
    kept_new = [c for c in after if c in before]
    for code, (_i, q) in after.items():
        if code not in before:
            out.append({"code": code, "change": "added", "label": q.get("label", ""), "fields": []})
            continue
        prev = before[code][1]
        fields = [{"name": k, "old": prev.get(k), "new": q.get(k)} for k in QUESTION_KEYS if prev.get(k) != q.get(k)]
        if where_old[code] != where_new[code]:
            fields.append({"name": "section", "old": where_old[code], "new": where_new[code]})
        if fields:
            out.append({"code": code, "change": "changed", "label": q.get("label", ""), "fields": fields})
        elif kept_old.index(code) != kept_new.index(code):
            out.append({"code": code, "change": "moved", "label": q.get("label", ""), "fields": []})
    for code, (_i, q) in before.items():
        if code not in after:
            out.append({"code": code, "change": "removed", "label": q.get("label", ""), "fields": []})
    return out
