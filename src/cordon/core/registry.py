"""Discovery of per-app hook modules (api, urls, bench, demo, dashboard).

Apps plug into the platform by module name alone, so adding an app never means editing a
central list beyond settings.CORDON_APPS.
"""

import importlib
from collections.abc import Iterator
from types import ModuleType

from django.conf import settings


def app_label(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


def app_submodules(name: str) -> Iterator[tuple[str, ModuleType]]:
    """Yield (label, module) for every cordon app that has the submodule `name`."""
    for dotted in settings.CORDON_APPS:
        try:
            module = importlib.import_module(f"{dotted}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name in (f"{dotted}.{name}",):
                continue
            raise
        yield app_label(dotted), module
