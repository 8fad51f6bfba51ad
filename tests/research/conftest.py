from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _export_dir(settings, tmp_path):
    """Export files of a test in a directory of its own."""
    settings.RESEARCH_EXPORT_DIR = tmp_path / "exports"
    return settings.RESEARCH_EXPORT_DIR
