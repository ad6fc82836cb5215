"""Filling a document: the .docx from its template version (docxtpl), and the PDF laid out from that same filled
.docx (reportlab with its built-in CJK font STSong-Light: no font file), both with the QR code of the public
verification page. Template checks for uploads live here too."""

import io
import zipfile
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer

from cordon.core import qr

FONT = "STSong-Light"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
_ALIGN = {WD_ALIGN_PARAGRAPH.CENTER: TA_CENTER, WD_ALIGN_PARAGRAPH.RIGHT: TA_RIGHT}


class TemplateInvalid(Exception):
    """A template file that is not a .docx docxtpl can read and render."""


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def placeholders_of(data: bytes) -> set[str]:
    """The placeholders a .docx template uses; TemplateInvalid when it is not a readable template."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateInvalid(_("not a .docx file"))
    try:
        return set(DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables())
    except (TemplateError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateInvalid(str(exc)) from exc


def docx_bytes(template: bytes, context: dict, *, verify_url: str) -> bytes:
    """The filled .docx: the template rendered with the stated values and the QR code (placeholder `qr`)."""
    tpl = DocxTemplate(io.BytesIO(template))
    image = InlineImage(tpl, io.BytesIO(qr.png(verify_url, scale=6, border=2)), width=Mm(28))
    try:
        tpl.render({**context, "verify_url": verify_url, "qr": image}, autoescape=True)
    except (TemplateError, ValueError, KeyError) as exc:
        raise TemplateInvalid(str(exc)) from exc
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _style(paragraph, n: int) -> ParagraphStyle:
    runs = [r for r in paragraph.runs if r.text.strip()]
    size = next((r.font.size.pt for r in runs if r.font.size is not None), 14.0)
    size = min(size, 24.0) * 0.85
    colour = next((r.font.color.rgb for r in runs if r.font.color is not None and r.font.color.type is not None
                   and r.font.color.rgb is not None), None)
    indent = paragraph.paragraph_format.first_line_indent
    return ParagraphStyle(f"p{n}", fontName=_font(), fontSize=size, leading=size * 1.6, wordWrap="CJK",
                          alignment=_ALIGN.get(paragraph.alignment, TA_JUSTIFY),
                          textColor=colors.HexColor(f"#{colour}") if colour is not None else colors.black,
                          firstLineIndent=size * 2 if indent else 0, spaceAfter=size * 0.4)


def pdf_bytes(filled_docx: bytes, *, verify_url: str, title: str) -> bytes:
    """The PDF of a filled .docx: its paragraphs in order (alignment, size and colour kept), the QR code where the
    .docx has its image, laid out on A4."""
    doc = DocxDocument(io.BytesIO(filled_docx))
    flow = []
    has_qr = False
    for n, paragraph in enumerate(doc.paragraphs):
        if paragraph._p.xpath(".//w:drawing"):
            flow.append(Image(io.BytesIO(qr.png(verify_url, scale=6, border=2)), width=28 * mm, height=28 * mm, hAlign="LEFT"))
            has_qr = True
        text = paragraph.text.strip()
        if text:
            flow.append(Paragraph(escape(text), _style(paragraph, n)))
        elif not flow or not isinstance(flow[-1], Spacer):
            flow.append(Spacer(1, 4 * mm))
    if not has_qr:
        flow.append(Image(io.BytesIO(qr.png(verify_url, scale=6, border=2)), width=28 * mm, height=28 * mm, hAlign="LEFT"))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=title, author="cordon", leftMargin=28 * mm, rightMargin=26 * mm,
                      topMargin=30 * mm, bottomMargin=25 * mm, invariant=1).build(flow)
    return out.getvalue()
