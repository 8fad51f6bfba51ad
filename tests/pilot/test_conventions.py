"""The conventions of the code, checked on the source: access is decided by the selectors'
getters (`<thing>_get_for_user`), never by a view of its own; views don't read models directly."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["accounts", "cases", "piket", "research", "signalering", "bestpractices", "pilot"]
VIEW_FILES = sorted(
    path
    for app in APPS
    for path in [*(ROOT / app).glob("views.py"), *(ROOT / app).glob("views/*.py")]
    if path.name != "__init__.py"
)


def test_there_are_views_to_check():
    assert len(VIEW_FILES) >= 8


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_make_no_access_decision_of_their_own(path):
    """No `raise PermissionDenied`, no rendering of 403.html: a getter or a capability
    decorator answers 403/404, and a service refuses what the getter let through."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    raised = {
        ast.unparse(node.exc).split("(")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise) and node.exc is not None
    }
    assert "PermissionDenied" not in raised
    assert "403.html" not in source


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_read_through_selectors(path):
    """No `Model.objects…` and no get_object_or_404 in a view: reads live in selectors."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    direct = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr == "objects")
        or (isinstance(node, ast.Name) and node.id == "get_object_or_404")
    ]
    assert direct == []
