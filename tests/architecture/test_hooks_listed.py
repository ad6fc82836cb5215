"""The top layers list the modules they gather by normal imports (no discovery, no getattr lookup): every app's
`api` router is mounted by cordon.api.root, every app's `dashboard` tiles are on the home page (cordon.web.views),
every app's demo seeder is run by `cordon demo` (cordon.sim.management.commands.demo), every benchmark module
is in cordon.bench.registry. A new module that is not listed fails here."""

import importlib
import pkgutil

from cordon import bench
from cordon.api import root
from cordon.bench import registry
from cordon.core.registry import app_submodules
from cordon.sim.management.commands import demo as demo_command
from cordon.web import views


def test_every_app_api_router_is_mounted_once_in_app_order():
    expected = [(getattr(module, "MOUNT", label), module.router) for label, module in app_submodules("api")]
    assert [(mount, router) for mount, router in root.ROUTERS] == expected


def test_every_app_dashboard_is_on_the_home_page_in_app_order():
    expected = [(label, module.tiles) for label, module in app_submodules("dashboard")]
    assert views.DASHBOARDS == expected


def test_every_benchmark_module_is_in_the_registry():
    modules = [importlib.import_module(f"cordon.bench.{info.name}") for info in pkgutil.iter_modules(bench.__path__)]
    with_benches = {m.__name__ for m in modules if hasattr(m, "BENCHES")}
    assert with_benches == {m.__name__ for m in registry.MODULES}
    assert len(registry.all_benches()) == sum(len(m.BENCHES) for m in registry.MODULES)


def test_every_app_demo_seeder_runs_in_app_order():
    expected = [(label, module.seed) for label, module in app_submodules("demo") if label != "core"]
    assert demo_command.SEEDERS == expected
