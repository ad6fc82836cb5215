"""HL7 v2 transport details around the `hl7` library: MLLP framing, CR / LF / CRLF separators, FHS/BHS
batch envelopes and several messages per file; component access with escapes undone; ACK messages."""

import datetime as dt
from dataclasses import dataclass

import hl7

MLLP_START, MLLP_END = "\x0b", "\x1c"
ENVELOPE = ("FHS", "BHS", "BTS", "FTS")


@dataclass
class Raw:
    """One message as found in the input: its 1-based index, its text (CR-separated) and, once parsed, the message."""

    index: int
    text: str
    message: hl7.Message | None = None
    problem: str = ""


def segments(data: str | bytes) -> list[str]:
    """The segments of an input, whatever the framing (MLLP blocks, batch envelope) and line separator."""
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    text = data.lstrip("\ufeff").replace(MLLP_START, "\r").replace(MLLP_END, "\r")
    text = text.replace("\r\n", "\r").replace("\n", "\r")
    return [s for s in (line.rstrip() for line in text.split("\r")) if s.strip()]


def split(data: str | bytes) -> tuple[list[Raw], list[str]]:
    """The messages of an input (each starts at an MSH), and the segments found before the first MSH."""
    messages: list[Raw] = []
    stray: list[str] = []
    for seg in segments(data):
        name = seg[:3]
        if name in ENVELOPE:
            continue
        if name == "MSH":
            messages.append(Raw(index=len(messages) + 1, text=seg))
        elif messages:
            messages[-1].text += "\r" + seg
        else:
            stray.append(seg)
    for raw in messages:
        try:
            raw.message = hl7.parse(raw.text)
        except Exception as exc:  # the library raises several exception types for malformed text
            raw.problem = f"{type(exc).__name__}: {exc}"
    return messages, stray


class Indexed:
    """A parsed message with its segments indexed by name, so field access does not walk the message each time."""

    def __init__(self, msg: hl7.Message):
        self.msg = msg
        self.by_name: dict[str, list] = {}
        for seg in msg:
            self.by_name.setdefault(str(seg[0]), []).append(seg)

    def __iter__(self):
        return iter(self.msg)

    def segment(self, name: str, num: int):
        found = self.by_name.get(name, [])
        return found[num - 1] if 0 < num <= len(found) else None

    def unescape(self, value: str) -> str:
        return self.msg.unescape(value)

    def extract_field(self, seg: str, num: int, fld: int, rep: int, comp: int, sub: int) -> str:
        segment = self.segment(seg, num)
        if segment is None:
            raise KeyError(seg)
        return segment.extract_field(num, fld, rep, comp, sub)


def get(msg: "hl7.Message | Indexed", seg: str, num: int, fld: int, rep: int = 1, comp: int = 1, sub: int = 1) -> str:
    """One value (escapes undone) of segment `seg` number `num` in the message, or '' when absent."""
    try:
        return msg.extract_field(seg, num, fld, rep, comp, sub) or ""
    except (IndexError, KeyError):
        return ""


def repeats(segment, fld: int) -> int:
    """How many repetitions field `fld` of a parsed segment holds (0 when absent or empty)."""
    try:
        f = segment[fld]
    except IndexError:
        return 0
    if not str(f):
        return 0
    return len(f) if len(f) and isinstance(f[0], hl7.Repetition) else 1


def timestamp(value: str, *, tz: dt.tzinfo) -> dt.datetime | None:
    """An HL7 TS/DTM value as an aware date-time (no offset: the city's zone); None when empty or unreadable."""
    value = (value or "").split("^")[0].strip()
    if len(value) < 8:
        return None
    try:
        when = hl7.parse_datetime(value)
    except (ValueError, TypeError):
        return None
    if when is None:
        return None
    return when.astimezone(dt.UTC) if when.tzinfo else when.replace(tzinfo=tz)


def ack(raw: Raw, code: str, note: str = "", *, now: dt.datetime, errors: list[str] | None = None) -> str:
    """The ACK for one message (AA accepted, AE error, AR rejected), with ERR segments naming the problems."""
    note = note[:80].replace("|", "/").replace("\r", " ")
    if raw.message is not None:
        msg = raw.message.create_ack(ack_code=code, application="CORDON", facility="CORDON")
        out = str(msg).rstrip("\r")
        if note:
            out += "|" + _escape(note)
    else:
        control = raw.text.split("|")[9] if raw.text.count("|") >= 9 else ""
        out = (f"MSH|^~\\&|CORDON|CORDON|||{now:%Y%m%d%H%M%S}||ACK|{hl7.generate_message_control_id()}"
               f"|P|2.5.1\rMSA|{code}|{control}|{_escape(note)}")
    for problem in errors or []:
        out += f"\rERR||||E||||{_escape(problem[:200])}"
    return out


def _escape(value: str) -> str:
    out = value.replace("\\", "\\E\\")
    for ch, esc in (("|", "\\F\\"), ("^", "\\S\\"), ("&", "\\T\\"), ("~", "\\R\\"), ("\r", " ")):
        out = out.replace(ch, esc)
    return out
