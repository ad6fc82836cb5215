"""Row and field errors a user sees are in the user's language: a message in a row error dict
({"row": n, "field": ..., "message": ...}), in an error class's .field(name, message) (ServiceError, Conflict, OutOfArea ...), or in a
ServiceError / Conflict, is a gettext call (with a Chinese translation in the app's .po), never a raw English string
or f-string that a grid worker's phone would show as it is. Product code only: tests and migrations are not scanned."""

import ast
import pathlib
import re

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "cordon"
ROOT = SRC.parents[1]
LETTERS = re.compile(r"[A-Za-z]{2,}")
ERROR_CALLS = ("ServiceError", "Conflict", "errors.ServiceError")


def _raw(node) -> bool:
    """A str constant or f-string (or a conditional or %-format of them) with English words, not a gettext call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(LETTERS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and LETTERS.search(v.value) for v in node.values)
    if isinstance(node, ast.IfExp):
        return _raw(node.body) or _raw(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _raw(node.left)
    return False


def raw_messages(tree: ast.AST) -> list[tuple[int, str]]:
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values, strict=True):
                if isinstance(k, ast.Constant) and k.value == "message" and _raw(v):
                    hits.append((v.lineno, ast.unparse(v)[:90]))
        elif isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            # any error class's field constructor: ServiceError.field, Conflict.field, OutOfArea.field ...
            is_field = isinstance(node.func, ast.Attribute) and node.func.attr == "field"
            if is_field and len(node.args) >= 2 and _raw(node.args[1]):
                hits.append((node.lineno, ast.unparse(node.args[1])[:90]))
            elif name in ERROR_CALLS and node.args and _raw(node.args[0]):
                hits.append((node.lineno, ast.unparse(node.args[0])[:90]))
    return hits


def test_the_scan_finds_raw_english_and_passes_gettext():
    code = (
        "errors.append({'row': 1, 'field': 'x', 'message': f'unknown {v!r}'})\n"
        "raise ServiceError.field('x', 'is required')\n"
        "errors.append({'row': 2, 'field': 'x', 'message': 'no' if ok else _('b %(v)s') % {'v': v}})\n"
        "errors.append({'row': 3, 'field': 'x', 'message': _('is required')})\n"
        "raise ServiceError.field('x', _('unknown %(v)s') % {'v': v})\n"
        "raise OutOfArea.field('x', 'is outside your area')\n"
    )
    assert sorted(line for line, _text in raw_messages(ast.parse(code))) == [1, 2, 3, 6]


def test_user_messages_are_translated():
    hits = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        parts = path.relative_to(SRC).parts
        if "tests" in parts or "migrations" in parts or path.name.startswith("test_"):
            continue
        for line, text in raw_messages(ast.parse(path.read_text(encoding="utf-8"))):
            hits.append(f"{rel}:{line}: {text}")
    assert not hits, "raw English messages shown to users (wrap them in gettext, translate in the app's .po):\n" + (
        "\n".join(hits)
    )
