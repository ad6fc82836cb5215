"""Pure rules of official documents: the placeholders of each kind, the document number, the city date as written
on a document, the stated content as the public sees it (masked), and the bytes the signature covers."""

import datetime as dt
import json

from cordon.core import pii

# The Chinese titles (official documents are written in Chinese) and the character in the number (文号).
TITLES = {"quarantine_notice": "隔离告知书", "release_certificate": "解除隔离证明", "zone_notice": "封控通告",
          "zone_lifting": "解封通告"}
NUMBER_WORD = {"quarantine_notice": "隔", "release_certificate": "解隔", "zone_notice": "封", "zone_lifting": "解封"}
UNIT_SUFFIX = "疫情防控指挥部"

COMMON = ("number", "unit", "issued_on", "title", "verify_url", "qr")
PERSON = ("person_name", "id_number", "measure", "place", "start", "end")
PLACEHOLDERS = {
    "quarantine_notice": (*COMMON, *PERSON, "reason"),
    "release_certificate": (*COMMON, *PERSON),
    "zone_notice": (*COMMON, "zone_name", "zone_kind", "area", "in_force_on", "measures", "hotline"),
    "zone_lifting": (*COMMON, "zone_name", "zone_kind", "area", "designated_on", "lifted_on", "hotline"),
}
# What a replacement template must state at least: the number, the unit, the date and whom or what it concerns.
REQUIRED = {
    "quarantine_notice": ("number", "unit", "issued_on", "person_name", "id_number"),
    "release_certificate": ("number", "unit", "issued_on", "person_name", "id_number"),
    "zone_notice": ("number", "unit", "issued_on", "zone_name"),
    "zone_lifting": ("number", "unit", "issued_on", "zone_name"),
}
PERSONAL = ("person_name", "id_number")

MEASURES = {"centralized": "集中隔离医学观察", "home_isolation": "居家隔离医学观察", "home_monitoring": "居家健康监测",
            "home": "居家隔离医学观察", "tests_only": "核酸检测管理"}
CATEGORIES = {"close_contact": "密切接触者", "secondary_contact": "密切接触者的密切接触者", "spacetime_companion": "时空伴随者",
              "high_risk_arrival": "高风险地区来返人员", "medium_risk_arrival": "中风险地区来返人员",
              "low_risk_arrival": "低风险地区来返人员", "discharged_case": "出院（舱）人员"}
ZONE_KINDS = {"sealed": "封控区", "controlled": "管控区", "precaution": "防范区", "high": "高风险区", "medium": "中风险区",
              "low": "低风险区"}
ZONE_MEASURES = {"sealed": "“区域封闭、足不出户、服务上门”管控措施", "controlled": "“人不出区、严禁聚集”管控措施",
                 "precaution": "“强化社会面管控、严格限制人员聚集”防范措施", "high": "“足不出户、上门服务”管控措施",
                 "medium": "“人不出区、错峰取物”管控措施", "low": "“个人防护、避免聚集”防范措施"}
DEFAULT_HOTLINE = "12345"


def number(*, unit_short: str, kind: str, year: int, serial: int) -> str:
    """The document number (文号), e.g. 朝阳区隔字〔2026〕第00012号."""
    return f"{unit_short}{NUMBER_WORD[kind]}字〔{year}〕第{serial:05d}号"


def written_date(day: dt.date) -> str:
    """A date as a document writes it: 2026年12月7日."""
    return f"{day.year}年{day.month}月{day.day}日"


def masked(content: dict) -> dict:
    """The stated content as a public page shows it: names, ID numbers and a person's place masked, the rest as stated."""
    out = dict(content)
    if out.get("person_name"):
        out["person_name"] = pii.mask_name(out["person_name"])
    if out.get("id_number"):
        out["id_number"] = pii.mask_id_number(out["id_number"])
    if out.get("person_name") and out.get("place"):  # a home address: compound and building only
        out["place"] = pii.mask_address(out["place"])
    return out


def signed_bytes(*, public_id: str, kind: str, number: str, unit: str, issued_on: str, content: dict) -> bytes:
    """The canonical bytes the integrity signature covers: everything the document states."""
    body = {"id": public_id, "kind": kind, "number": number, "unit": unit, "issued_on": issued_on, "content": content}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def check_placeholders(kind: str, used: set[str]) -> tuple[list[str], list[str]]:
    """(unknown placeholders a template uses, required placeholders it lacks) for a kind."""
    allowed = set(PLACEHOLDERS[kind])
    return sorted(used - allowed), sorted(set(REQUIRED[kind]) - used)


def sample_context(kind: str) -> dict:
    """Sample values for every placeholder of a kind: what a template is test-rendered with."""
    values = {"number": number(unit_short="示例区", kind=kind, year=2026, serial=1), "unit": "示例区" + UNIT_SUFFIX,
              "issued_on": "2026年1月1日", "title": TITLES[kind], "verify_url": "https://example.invalid/documents/v/x/",
              "person_name": "张三", "id_number": "110101199001011234", "measure": MEASURES["centralized"],
              "place": "示例集中隔离点", "start": "2026年1月1日", "end": "2026年1月8日", "reason": CATEGORIES["close_contact"],
              "zone_name": "示例小区1号楼", "zone_kind": ZONE_KINDS["sealed"], "area": "示例小区1号楼",
              "in_force_on": "2026年1月1日", "measures": ZONE_MEASURES["sealed"], "hotline": DEFAULT_HOTLINE,
              "designated_on": "2026年1月1日", "lifted_on": "2026年1月8日"}
    return {k: v for k, v in values.items() if k in PLACEHOLDERS[kind] and k != "qr"}
