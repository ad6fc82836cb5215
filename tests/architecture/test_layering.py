"""Layering guards: views and API modules query scoped models only through visible_to/selectors,
analytics stays pure, and no app imports another app's views."""

import ast
import pathlib
import re

import pytest

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "cordon"
UNSCOPED = re.compile(r"\b([A-Z][A-Za-z]+)\.objects\.(?!visible_to\b)([a-z_]+)\(")
ALLOWED_MODELS = {"Region"}  # geography; scoped reads go through regions.selectors


def _modules(names):
    for path in sorted(SRC.rglob("*.py")):
        if path.name in names and "tests" not in path.parts and "migrations" not in path.parts:
            yield path


def _scoped_model_names() -> set[str]:
    from django.apps import apps

    from cordon.core.models import Scoped

    names = set()
    for model in apps.get_models():
        if issubclass(model, Scoped) or hasattr(model.objects, "visible_to"):
            names.add(model.__name__)
    return names


@pytest.mark.django_db
def test_views_and_api_never_query_a_scoped_model_without_visible_to():
    scoped = _scoped_model_names() - ALLOWED_MODELS
    problems = []
    for path in _modules({"views.py", "api.py"}):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for model, method in UNSCOPED.findall(line):
                if model in scoped:
                    problems.append(f"{path.relative_to(SRC)}:{lineno}: {model}.objects.{method}(...)")
    assert not problems, "query scoped models through selectors or visible_to:\n" + "\n".join(problems)


def test_no_app_imports_another_apps_views():
    problems = []
    for path in SRC.rglob("*.py"):
        app = path.relative_to(SRC).parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if len(parts) >= 3 and parts[0] == "cordon" and parts[2] == "views" and parts[1] not in (app, "web"):
                    problems.append(f"{path.relative_to(SRC)} imports {node.module}")
    assert not problems, "\n".join(problems)


def test_analytics_imports_no_django_and_no_cordon_app():
    problems = []
    for path in (SRC / "analytics").rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for n in names:
                if n.split(".")[0] == "django" or (n.startswith("cordon.") and not n.startswith("cordon.analytics")):
                    problems.append(f"{path.relative_to(SRC)} imports {n}")
    assert not problems, "\n".join(problems)


def test_every_service_and_selector_has_a_docstring():
    missing = []
    for path in _modules({"services.py", "selectors.py"}):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and not ast.get_docstring(node):
                missing.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}")
    assert not missing, "one-line docstring missing:\n" + "\n".join(missing)
