"""The Chinese stays correct and complete (docs/GLOSSARY.md): every zh_Hans catalogue entry is translated and not
fuzzy, no translation uses a term the glossary bans for its English, and no service error is raised with a bare
string or f-string (those never reach the translators)."""

import ast
import pathlib
import re

import pytest

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "cordon"
GLOSSARY = SRC.parents[1] / "docs" / "GLOSSARY.md"
CATALOGUES = sorted(SRC.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
ERROR_OWNER = re.compile(r"(Error|Conflict|Forbidden|NotFound|Invalid)")
# cordon.analytics is pure Python without Django (an import-linter contract): its ValueErrors are a programmer's
# errors about the arguments of a statistical method, checked by the callers before any user input reaches it.
PURE = {"analytics"}


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: pathlib.Path) -> list[dict]:
    """The live entries of a .po file: msgid, msgid_plural, msgstr (all forms joined), flags."""
    entries, entry, key = [], None, None

    def close():
        if entry is not None and entry.get("msgid"):  # the header (empty msgid) is not an entry
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                close()
                entry, key = None, None
            continue
        if entry is None:
            entry = {"msgid": "", "msgid_plural": "", "msgstr": [], "flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            key, entry["msgid_plural"] = "msgid_plural", _unquote(line[13:])
        elif line.startswith("msgid "):
            key, entry["msgid"] = "msgid", _unquote(line[6:])
        elif line.startswith("msgstr"):
            key = "msgstr"
            entry["msgstr"].append(_unquote(line.split(" ", 1)[1]))
        elif line.startswith('"') and key:
            if key == "msgstr":
                entry["msgstr"][-1] += _unquote(line)
            else:
                entry[key] += _unquote(line)
    close()
    return entries


def glossary_rows() -> list[tuple[list[str], list[str]]]:
    """(English terms, banned Chinese terms) of each row of the glossary table."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 4 or cells[0] in ("English terms", "---"):
            continue
        english = [re.sub(r"\(.*?\)", "", t).strip().lower() for t in cells[0].split(" / ")]
        banned = [t.strip() for t in cells[3].split("、") if t.strip()]
        rows.append(([e for e in english if e], banned))
    return rows


def banned_uses(entries: list[dict], rows) -> list[str]:
    """Entries whose English names a glossary term and whose Chinese uses a term banned for it."""
    found = []
    for english, banned in rows:
        if not banned:
            continue
        pattern = re.compile(r"\b(" + "|".join(re.escape(e) for e in english) + r")s?\b", re.I)
        for e in entries:
            text = e["msgid"] + " " + e["msgid_plural"]
            if pattern.search(text):
                found += [f"{e['msgid']!r} -> {s!r} uses {b}" for s in e["msgstr"] for b in banned if b in s]
    return found


def raw_error_messages(tree: ast.AST) -> list[int]:
    """Lines raising an error (…Error/Conflict/Forbidden/NotFound/Invalid) whose message is a bare str or f-string."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            f = node.exc.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else name
            if not ERROR_OWNER.search(owner or ""):
                continue
            args = list(node.exc.args)
            args = args[1:2] if name == "field" else args[:1]
            if any(isinstance(a, ast.JoinedStr) or (isinstance(a, ast.Constant) and isinstance(a.value, str))
                   for a in args):
                lines.append(node.lineno)
    return lines


def test_the_glossary_has_rows_that_ban_terms():
    rows = glossary_rows()
    assert len(rows) > 30
    assert (["testing site", "sampling site", "testing sites"], ["隔离点"]) in rows


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_zh_hans_entry_is_translated_and_not_fuzzy(po):
    entries = read_po(po)
    assert entries, f"{po} has no entries"
    untranslated = [e["msgid"] for e in entries if not any(s.strip() for s in e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"{po}: untranslated {untranslated}"
    assert not fuzzy, f"{po}: fuzzy {fuzzy}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-5])
def test_no_translation_uses_a_term_the_glossary_bans(po):
    assert not banned_uses(read_po(po), glossary_rows())


def test_the_glossary_check_catches_a_testing_site_called_an_isolation_site():
    entries = [{"msgid": "Testing sites of this round", "msgid_plural": "", "msgstr": ["本轮隔离点"], "flags": set()},
               {"msgid": "Quarantine site", "msgid_plural": "", "msgstr": ["集中隔离点"], "flags": set()}]
    assert banned_uses(entries, glossary_rows()) == ["'Testing sites of this round' -> '本轮隔离点' uses 隔离点"]


def test_the_po_reader_sees_untranslated_fuzzy_and_plural_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n#, fuzzy, python-format\nmsgid "a %(n)s"\n'
                  'msgstr "甲 %(n)s"\n\nmsgid ""\n"long "\n"text"\nmsgstr ""\n\nmsgid "%(n)s code"\n'
                  'msgid_plural "%(n)s codes"\nmsgstr[0] "%(n)s 个码"\n\n#~ msgid "old"\n#~ msgstr ""\n',
                  encoding="utf-8")
    entries = read_po(po)
    assert [(e["msgid"], e["msgstr"], "fuzzy" in e["flags"]) for e in entries] == [
        ("a %(n)s", ["甲 %(n)s"], True), ("long text", [""], False), ("%(n)s code", ["%(n)s 个码"], False)]


def test_no_service_error_is_raised_with_an_untranslated_message():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).parts
        if "tests" in rel or "migrations" in rel or rel[0] in PURE:
            continue
        found += [f"{path.relative_to(SRC)}:{n}" for n in raw_error_messages(ast.parse(path.read_text(encoding="utf-8")))]
    assert not found, "wrap these messages in gettext (_('... %(name)s ...') % {...}): " + ", ".join(found)


def test_the_raw_message_rule_sees_strings_and_f_strings_but_not_gettext():
    tree = ast.parse('raise ServiceError("bad")\nraise ServiceError.field("f", f"bad {x}")\n'
                     'raise ServiceError(_("ok"))\nraise ServiceError.field("f", _("ok %(x)s") % {"x": x})\n'
                     'raise Conflict(f"{x} taken")\n')
    assert raw_error_messages(tree) == [1, 2, 5]
