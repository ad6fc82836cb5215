"""The daily situation report as a Word document in the usual government layout: red masthead (红头) with
the issuing body, the document number (文号) above a red rule, a centred title, numbered sections
(一、二、...) in body text, a table of figures, and the issuer and date at the foot."""

import io

from django.http import HttpResponse
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from cordon.core import clock
from cordon.reports.metrics import FIGURES

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RED = RGBColor(0xC0, 0x00, 0x00)
SECTIONS = [
    ("一、疫情基本情况", ["cases_new", "cases_new_confirmed", "cases_new_asymptomatic", "cases_total",
                    "rt_districts_above_one", "rt_districts_not_estimable"]),
    ("二、风险人员排查管控", ["contacts_new", "contacts_total", "risk_people_open", "measure_close_contact"]),
    ("三、隔离管控", ["measure_centralized_quarantine", "measure_home_isolation", "measure_home_monitoring",
                   "quarantine_rooms", "quarantine_occupied", "quarantine_occupancy_pct",
                   "selfreport_enrolled", "selfreport_reported", "selfreport_missing", "selfreport_fever"]),
    ("四、核酸检测", ["screening_sampled", "screening_coverage_pct", "screening_pending_tubes"]),
    ("五、物资和民生保障", ["supply_min_days", "supply_low_lines", "emergencies_open", "dispatch_on_loan"]),
    ("六、督查督办", ["tasks_open", "tasks_overdue", "ledger_open", "ledger_overdue", "ledger_public"]),
]


def _font(run, *, size: float, bold: bool = False, colour=None, name: str = "仿宋") -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)
    if colour is not None:
        run.font.color.rgb = colour


def _red_rule(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


def _value(v) -> str:
    if v is None:
        return "暂无数据"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _table(doc, headers, rows) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _font(cell.paragraphs[0].add_run(text), size=12, bold=True)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            _font(cell.paragraphs[0].add_run(str(text)), size=12)


def _named(row: dict) -> str:
    """The person answering for a late item: name, then their post (unit and role) in brackets."""
    name = row.get("owner") or "未指定"
    return f"{name}（{row['post']}）" if row.get("post") else name


def sentence(key: str, figures: dict) -> str:
    return f"{FIGURES[key][0]}{_value(figures.get(key))}"


# long: the daily report's document laid out top to bottom, as the page reads
def render(report) -> bytes:
    """The .docx bytes of a DailyReport."""
    figures = report.data.get("figures", {})
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(head.add_run(report.data.get("issuer", "疫情防控指挥部")), size=26, bold=True, colour=RED, name="方正小标宋简体")
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number.add_run(report.number), size=16)
    _red_rule(number)
    if report.version > 1:
        note = doc.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(note.add_run(f"（第{report.version}版）"), size=12)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(report.title), size=22, bold=True, name="方正小标宋简体")

    cut = clock.local(report.cut_off)  # the city's wall time, not UTC ("16时" was midnight in the city)
    intro = doc.add_paragraph()
    intro.paragraph_format.first_line_indent = Pt(32)
    _font(intro.add_run(f"现将截至{cut:%Y年%m月%d日%H时}全市（区）疫情防控工作情况报告如下："), size=16)

    for heading, keys in SECTIONS:
        h = doc.add_paragraph()
        _font(h.add_run(heading), size=16, bold=True, name="黑体")
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        _font(p.add_run("；".join(sentence(k, figures) for k in keys) + "。"), size=16)
        if "supply_low_lines" in keys and report.data.get("supply_low"):
            _table(doc, ("仓库", "物资", "保障天数", "安全天数"),
                   [(r["warehouse"], r["item"], _value(r["days"]), r["low_days"]) for r in report.data["supply_low"]])

    late = report.data.get("late", {})
    h = doc.add_paragraph()
    _font(h.add_run("七、超时事项及责任人"), size=16, bold=True, name="黑体")
    rows = [(t["title"], _named(t), f"超时{t['hours_late']}小时") for t in late.get("tasks", [])]
    rows += [(i["title"], _named(i), "挂牌督办" if i.get("public") else "超期未整改") for i in late.get("ledger", [])]
    if rows:
        _table(doc, ("事项", "责任人", "情况"), rows)
    else:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        _font(p.add_run("无超时任务和超期未整改事项。"), size=16)

    if report.remarks:
        h = doc.add_paragraph()
        _font(h.add_run("八、下一步工作"), size=16, bold=True, name="黑体")
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        _font(p.add_run(report.remarks), size=16)

    doc.add_paragraph()
    sign = doc.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(sign.add_run(report.data.get("issuer", "")), size=16)
    date = doc.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d = report.report_date
    _font(date.add_run(f"{d.year}年{d.month}月{d.day}日"), size=16)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def response(report) -> HttpResponse:
    """A DailyReport as a .docx download (the page and the API serve the same file)."""
    out = HttpResponse(render(report), content_type=DOCX)
    out["Content-Disposition"] = f'attachment; filename="daily-report-{report.report_date}-v{report.version}.docx"'
    return out


ACCOUNTABILITY_HEADERS = ("单位", "督导检查", "发现问题", "严重问题", "按期销号", "超期销号", "反复整改", "未销号", "超期未整改",
                          "任务按时", "任务超时办结", "任务超时未办")
ACCOUNTABILITY_KEYS = ("name", "inspections", "found", "severe", "closed_on_time", "closed_late", "reopened", "still_open",
                       "open_overdue", "tasks_on_time", "tasks_late", "tasks_overdue")


def _heading(doc, text: str) -> None:
    _font(doc.add_paragraph().add_run(text), size=16, bold=True, name="黑体")


def _body(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    _font(p.add_run(text), size=16)


# long: the accountability report laid out top to bottom (masthead, title, three numbered sections, foot)
def accountability(*, rows: list[dict], start, end, issuer: str, unit: str, issued_on) -> bytes:
    """The accountability report (问责情况通报) per unit and period as a .docx in the government layout: issuing body,
    title, date, numbered sections (一、二、三) with the table of figures, the issuer and date at the foot."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(21.0), Cm(29.7)  # landscape: twelve columns
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.0)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(head.add_run(issuer), size=26, bold=True, colour=RED, name="方正小标宋简体")
    _red_rule(head)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"关于{start:%Y年%m月%d日}至{end:%Y年%m月%d日}督查督办落实情况的通报"), size=22, bold=True, name="方正小标宋简体")
    total = {k: sum(r[k] for r in rows) for k in ACCOUNTABILITY_KEYS[1:]}
    _heading(doc, "一、总体情况")
    _body(doc, f"本期共开展督导检查{total['inspections']}次，发现问题{total['found']}个（其中严重问题{total['severe']}个），"
               f"按期整改销号{total['closed_on_time']}个，超期销号{total['closed_late']}个，复查不合格重新整改{total['reopened']}个，"
               f"尚未销号{total['still_open']}个（其中超期{total['open_overdue']}个）；任务按时办结{total['tasks_on_time']}件，"
               f"超时办结{total['tasks_late']}件，超时未办{total['tasks_overdue']}件。")
    _heading(doc, f"二、各{unit}落实情况")
    _table(doc, ACCOUNTABILITY_HEADERS, [tuple(r[k] for k in ACCOUNTABILITY_KEYS) for r in rows])
    _heading(doc, "三、问责建议")
    red = [r["name"] for r in rows if r["flag"] == "red"]
    yellow = [r["name"] for r in rows if r["flag"] == "yellow"]
    _body(doc, (f"对存在超期未整改问题或超时未办任务的{'、'.join(red)}予以通报，限期整改，逾期未改的依规依纪追责问责。" if red else
                "本期无超期未整改问题和超时未办任务。")
          + (f"对存在超期销号、反复整改或超时办结情况的{'、'.join(yellow)}予以提醒。" if yellow else ""))
    doc.add_paragraph()
    for text in (issuer, f"{issued_on.year}年{issued_on.month}月{issued_on.day}日"):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run(text), size=16)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
