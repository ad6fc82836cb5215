"""Discovery of per-app modules by name, in settings.CORDON_APPS order: every app's `receivers` (loaded by
core's AppConfig.ready), `urls` (mounted by config.urls) and `jobs` (their PERIODIC list, read by
cordon.core.schedule).

The top layers list what they gather by normal imports instead: api routers (cordon.api.root.ROUTERS), home
page tiles (cordon.web.views.DASHBOARDS), demo seeders (the demo command's SEEDERS), benchmarks
(cordon.bench.registry); tests/architecture/test_hooks_listed.py compares those lists with this discovery.
"""

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

from django.conf import settings


def app_label(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


def app_submodules(name: str) -> Iterator[tuple[str, ModuleType]]:
    """Yield (label, module) for every cordon app that has the submodule `name`."""
    for dotted in settings.CORDON_APPS:
        # find_spec answers "has this app such a module?" without importing it; an import error inside a
        # module that exists propagates.
        if importlib.util.find_spec(f"{dotted}.{name}") is None:
            continue
        yield app_label(dotted), importlib.import_module(f"{dotted}.{name}")


def load_all(name: str) -> list[str]:
    """Import the submodule `name` of every cordon app that has one; return their app labels."""
    return [label for label, _module in app_submodules(name)]
