"""The layers: an app imports only from the apps below it; `pilot` composes them all.

Read from the source (every `import`, `from … import`, and `import_module("…")` with a literal
name), so an import hidden in a function or done dynamically is caught too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

# bottom to top
LAYERS = ["accounts", "cases", "piket", "research", "signalering", "bestpractices", "pilot"]
ROOT = Path(settings.BASE_DIR)


def is_module_path(value) -> bool:
    """A dotted string that names one of the project's modules (not a capability such as
    "piket.book", which only looks like one)."""
    if not isinstance(value, str) or value.split(".")[0] not in LAYERS or " " in value:
        return False
    parts = value.split(".")
    return any(
        (ROOT.joinpath(*parts[:k]).with_suffix(".py")).exists()
        or (ROOT.joinpath(*parts[:k]) / "__init__.py").exists()
        for k in range(2, len(parts) + 1)
    )


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
        elif isinstance(node, ast.Constant) and is_module_path(node.value):
            # a module named in a string, e.g. a lazy "piket.tasks.send_reminder"
            names.add(node.value)
    return {name.split(".")[0] for name in names} & set(LAYERS)


def app_files(app: str) -> list[Path]:
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("app", [app for app in LAYERS if (ROOT / app).is_dir()])
def test_an_app_imports_only_from_the_apps_below_it(app):
    below = set(LAYERS[: LAYERS.index(app) + 1])
    if app == "pilot":
        below = set(LAYERS)
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) - below)
        for path in app_files(app)
        if imported_apps(path) - below
    }
    assert wrong == {}


def test_accounts_knows_no_app_above_it():
    assert all(imported_apps(path) <= {"accounts"} for path in app_files("accounts"))
