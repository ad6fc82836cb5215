"""A small PDF text reader for tests (no dependency): the text shown by each Tj string in the content streams
reportlab writes (ASCII85 + Flate), with the CJK font's two-byte (UCS-2) strings decoded."""

import base64
import re
import zlib

_STREAM = re.compile(rb"/Filter \[ /ASCII85Decode /FlateDecode \][^>]*>>\s*stream\r?\n(.*?)endstream", re.S)
_TJ = re.compile(rb"\(((?:\\.|[^\\)])*)\) Tj", re.S)
_ESC = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i:i + 1] == b"\\":
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(0), 8))
                i += 1 + len(octal.group(0))
                continue
            out += _ESC.get(raw[i + 1:i + 2], raw[i + 1:i + 2])
            i += 2
            continue
        out.append(raw[i])
        i += 1
    return bytes(out)


def text(pdf: bytes) -> str:
    """Every shown string of the PDF, one per line."""
    lines = []
    for m in _STREAM.finditer(pdf):
        raw = m.group(1).strip()
        body = zlib.decompress(base64.a85decode(raw[:-2] if raw.endswith(b"~>") else raw))
        for s in _TJ.finditer(body):
            data = _unescape(s.group(1))
            try:
                lines.append(data.decode("utf-16-be") if len(data) % 2 == 0 else data.decode("latin-1"))
            except UnicodeDecodeError:
                lines.append(data.decode("latin-1"))
    return "\n".join(lines)
