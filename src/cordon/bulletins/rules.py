"""Pure rules of bulletins: the standard text and how placeholders become the published figures."""

import datetime as dt
import re
import string

DEFAULT_TITLE = "{region}{date}疫情防控情况通报"
DEFAULT_BODY = (
    "{date}0—24时，{region}新增本土阳性感染者{cases_new}例，其中确诊病例{cases_new_confirmed}例、"
    "无症状感染者{cases_new_asymptomatic}例；累计报告阳性感染者{cases_total}例。\n"
    "当日新增密切接触者{contacts_new}人，累计{contacts_total}人；目前在管风险人员{risk_people_open}人，"
    "其中集中隔离{measure_centralized_quarantine}人、居家隔离{measure_home_isolation}人、"
    "居家健康监测{measure_home_monitoring}人。\n"
    "请广大市民继续做好个人防护，非必要不聚集，配合做好核酸检测。如有发热等症状，请及时到就近发热门诊就诊。"
)


def placeholders(text: str) -> list[str]:
    """Names used as {placeholders} in a text."""
    return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None]


def unknown_placeholders(text: str, allowed: set[str]) -> list[str]:
    """Placeholders that are not figures (or are not simple names)."""
    try:
        names = placeholders(text)
    except ValueError as exc:
        return [f"malformed braces ({exc})"]
    return sorted({n for n in names if n not in allowed})


def context(*, figures: dict, region: str, cut_off: dt.datetime) -> dict:
    """The values a bulletin's text may use: every figure, the region name and the reporting day."""
    day = (cut_off - dt.timedelta(microseconds=1)).date()
    values = {k: ("—" if v is None else (f"{v:g}" if isinstance(v, float) else v)) for k, v in figures.items() if k != "unavailable"}
    return {**values, "region": region, "date": f"{day.month}月{day.day}日", "year": day.year}


def leftover_placeholders(text: str) -> list[str]:
    """Anything in a rendered text that still looks like a placeholder ({...} or a lone brace)."""
    return re.findall(r"\{[^{}]*\}|[{}]", text)


def render(text: str, values: dict) -> str:
    """Fill the placeholders with the figures."""
    return text.format(**values)
