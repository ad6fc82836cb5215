"""Build the default .docx template of each document kind (government layout: the issuing unit as a red title,
the number (文号) under a red rule, the document's title, the body, the unit and the date at the bottom right, and
the QR code that opens the public verification page). The .docx files next to this script are what it writes;
run it again after changing a text here:

    .venv/bin/python -m cordon.documents.defaults.build

An administrator replaces a template in the web UI (新版本); these files stay the version-1 defaults."""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
RED = RGBColor(0xC0, 0x00, 0x00)

BODIES = {
    "quarantine_notice": [
        "{{ person_name }}（公民身份号码：{{ id_number }}）：",
        "经流行病学调查研判，您为{{ reason }}。根据《中华人民共和国传染病防治法》及新型冠状病毒肺炎防控方案的有关规定，"
        "自{{ start }}起至{{ end }}止，对您实施{{ measure }}，地点：{{ place }}。",
        "期间请服从管理，配合核酸检测和健康监测，不得擅自离开。如出现发热、干咳、乏力、咽痛、嗅（味）觉减退等症状，请立即报告。",
        "特此告知。",
    ],
    "release_certificate": [
        "兹证明{{ person_name }}（公民身份号码：{{ id_number }}）于{{ start }}至{{ end }}在{{ place }}接受{{ measure }}，"
        "期满经检测符合解除条件，自{{ end }}起解除{{ measure }}。",
        "特此证明。",
    ],
    "zone_notice": [
        "根据疫情防控需要，经研判，自{{ in_force_on }}起将{{ area }}划定为{{ zone_kind }}（{{ zone_name }}），实行{{ measures }}。",
        "请区域内广大居民群众理解、支持和配合，如有生活、就医等需求，请联系所在社区。咨询电话：{{ hotline }}。",
        "特此通告。",
    ],
    "zone_lifting": [
        "{{ zone_name }}（{{ area }}）自{{ designated_on }}划定为{{ zone_kind }}以来，经连续监测和全员核酸检测，已达到解除条件。"
        "经研究决定，自{{ lifted_on }}起解除该区域{{ zone_kind }}管控措施。",
        "解除后请继续做好个人防护，戴口罩、勤洗手、少聚集。咨询电话：{{ hotline }}。",
        "特此通告。",
    ],
}
TITLES = {"quarantine_notice": "隔离告知书", "release_certificate": "解除隔离证明", "zone_notice": "封控通告",
          "zone_lifting": "解封通告"}


def _font(run, *, size: float, bold: bool = False, color: RGBColor | None = None, face: str = "仿宋") -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = face
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)
    if color is not None:
        run.font.color.rgb = color


def _red_rule(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _para(doc, text: str, *, align=None, size: float = 16, bold: bool = False, color=None, face: str = "仿宋", indent: bool = False):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.space_after = Pt(6)
    _font(p.add_run(text), size=size, bold=bold, color=color, face=face)
    return p


def build(kind: str) -> Path:
    """Write the default template of one kind; returns its path."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    _para(doc, "{{ unit }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=26, bold=True, color=RED, face="方正小标宋简体")
    _red_rule(_para(doc, "{{ number }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=16))
    _para(doc, "{{ title }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True, face="方正小标宋简体")
    for text in BODIES[kind]:
        _para(doc, text, size=16, indent=not text.endswith("：") or kind.startswith("zone"))
    _para(doc, "{{ unit }}", align=WD_ALIGN_PARAGRAPH.RIGHT, size=16)
    _para(doc, "{{ issued_on }}", align=WD_ALIGN_PARAGRAPH.RIGHT, size=16)
    _para(doc, "{{ qr }}", size=10)
    _para(doc, "扫码核验：{{ verify_url }}", size=10)
    doc.core_properties.title = TITLES[kind]
    doc.core_properties.author = "cordon"
    path = HERE / f"{kind}.docx"
    doc.save(path)
    return path


if __name__ == "__main__":
    for name in BODIES:
        print(build(name))
