"""A test module never imports from another test module, nor from a conftest: shared builders
live in tests/<app>/factories.py, shared fixtures in conftest.py, other helpers in small
non-test modules (tests/routes.py, tests/browser/support.py, ...).

Every Python file under tests/ (and the root conftest.py) is parsed with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FILES = sorted([*TESTS.rglob("*.py"), TESTS.parent / "conftest.py"])


def _forbidden(dotted: str) -> bool:
    return any(part.startswith("test_") or part == "conftest" for part in dotted.split("."))


def forbidden_imports(source: str) -> list[str]:
    """The imports in `source` that reach into a test module or a conftest, as 'line: module'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            # `from tests.piket import test_notifications` imports a module by name too
            modules = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found += [f"{node.lineno}: {module}" for module in modules if _forbidden(module)][:1]
    return found


def test_the_guard_sees_every_way_to_import_a_test_module():
    source = "\n".join(
        [
            "from tests.piket.test_notifications import book",
            "from tests.piket import test_notifications",
            "import tests.piket.test_booking as booking",
            "from .test_login import MFA",
            "from . import conftest",
            "from tests.browser.conftest import assert_accessible",
            "from tests.piket.factories import make_shift",
            "from tests.accounts.totp import totp_code",
            "import pytest",
        ]
    )
    assert [line.split(":")[0] for line in forbidden_imports(source)] == list("123456")


def test_the_guard_reads_the_test_tree():
    names = {path.name for path in FILES}
    assert {"test_test_imports.py", "conftest.py", "factories.py"} <= names
    assert len(FILES) > 40


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(TESTS.parent)))
def test_no_module_imports_from_a_test_module_or_a_conftest(path):
    assert forbidden_imports(path.read_text(encoding="utf-8")) == [], path
