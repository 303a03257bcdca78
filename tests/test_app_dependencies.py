"""Dependencies between the project's apps point one way: no app imports one that imports it.

An app that needs to show something on another's pages registers it there (datasets.py,
search.py, pages.py) instead of being imported by it.
"""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "promises",
    "situation",
    "followup",
    "reports",
    "overview",
    "opendata",
    "demo",
    "api",
    "outbox",
    "subscriptions",
]


def _imported_apps(app):
    imported = set()
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            imported.update(module.split(".")[0] for module in modules)
    return imported & set(APPS) - {app}


def test_no_import_cycle_between_apps():
    graph = {app: _imported_apps(app) for app in APPS}
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"Apps import each other: {error.args[1]}") from None


def test_open_data_knows_no_other_app():
    assert _imported_apps("opendata") == set()


def test_promises_imports_no_app_that_builds_on_it():
    assert _imported_apps("promises") <= {"opendata"}


def test_no_domain_app_imports_the_api():
    """The API builds on the domain apps, never the reverse."""
    assert not [app for app in APPS if app != "api" and "api" in _imported_apps(app)]


def test_the_outbox_knows_no_other_app():
    assert _imported_apps("outbox") == set()
