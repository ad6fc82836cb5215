"""The code's shape stays one a newcomer can hold: apps in layers with no cycle, no fail-open imports, imports at the
top of modules, no module over 600 lines (docs/ARCHITECTURE.md). Product code only: tests and migrations are
not counted."""

import ast
import pathlib
import re
import tomllib

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "cordon"
ROOT = SRC.parents[1]
APPS = sorted(p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists())
MAX_LINES = 600
# A function-local import needs a reason: a heavy optional dependency (playwright, ortools, docx ...) that only one
# path loads. The budget is small on purpose.
MAX_LOCAL_IMPORTS = 60
FAIL_OPEN = {"ImportError", "ModuleNotFoundError", "LookupError"}


def _product_modules():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).parts
        if "tests" in rel or "migrations" in rel or path.name.startswith("test_"):
            continue
        yield path, rel


def _parsed():
    return [(path, rel, path.read_text(encoding="utf-8")) for path, rel in _product_modules()]


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield node, [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node, [node.module] + [f"{node.module}.{a.name}" for a in node.names]


def test_no_product_module_catches_an_import_or_lookup_error_to_carry_on_without_another_app():
    found = []
    for _path, rel, text in _parsed():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                if any(isinstance(n, ast.Name) and n.id in FAIL_OPEN for n in names):
                    found.append(f"{'/'.join(rel)}:{node.lineno}")
        found += [f"{'/'.join(rel)}: apps.get_model" for _ in re.findall(r"apps\.get_model\(", text)]
    assert found == [], "a missing app must fail loudly, not turn a figure into 'not available':\n" + "\n".join(found)


def test_no_product_module_is_over_600_lines():
    big = [f"{'/'.join(rel)}: {text.count(chr(10)) + 1}" for _, rel, text in _parsed() if text.count("\n") + 1 > MAX_LINES]
    assert big == [], "split by sub-domain:\n" + "\n".join(big)


def test_imports_sit_at_the_top_of_modules():
    local = []
    for _, rel, text in _parsed():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                local += [f"{'/'.join(rel)}:{sub.lineno}" for sub in ast.walk(node) if isinstance(sub, (ast.Import, ast.ImportFrom))]
    assert len(local) <= MAX_LOCAL_IMPORTS, f"{len(local)} function-local imports (at most {MAX_LOCAL_IMPORTS}):\n" + "\n".join(local)


def _app_graph() -> dict[str, set[str]]:
    edges = {a: set() for a in APPS}
    for _, rel, text in _parsed():
        if len(rel) < 2:
            continue
        for _node, modules in _imports(ast.parse(text)):
            for m in modules:
                parts = m.split(".")
                if len(parts) > 1 and parts[0] == "cordon" and parts[1] in edges and parts[1] != rel[0]:
                    edges[rel[0]].add(parts[1])
    return edges


def test_apps_import_each_other_without_any_cycle_counting_every_import():
    edges, state, cycles = _app_graph(), {}, []

    def visit(app, path):
        state[app] = "open"
        for dep in sorted(edges[app]):
            if state.get(dep) == "open":
                cycles.append(" -> ".join(path[path.index(dep):] + [dep]))
            elif dep not in state:
                visit(dep, path + [dep])
        state[app] = "done"

    for app in APPS:
        if app not in state:
            visit(app, [app])
    assert cycles == []


def test_every_app_is_in_the_layers_contract():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layered = {m for c in contracts if c["type"] == "layers" for layer in c["layers"] for m in re.findall(r"cordon\.(\w+)", layer)}
    assert sorted(set(APPS) - layered) == []


def test_a_function_over_60_lines_says_why_in_a_comment():
    unexplained = []
    for _, rel, text in _parsed():
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 60:
                first = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
                if not (first > 0 and lines[first - 1].strip().startswith("# long:")):
                    unexplained.append(f"{'/'.join(rel)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert unexplained == [], "split it, or say why not in a `# long: ...` comment above it:\n" + "\n".join(unexplained)
