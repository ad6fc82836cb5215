"""Discovery of per-app hook modules (api, urls, demo, dashboard, receivers).

Apps plug into the platform by module name alone, so adding an app never means editing a
central list beyond settings.CORDON_APPS.
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
