"""The Nu HTML checker (vnu.jar, the W3C validator's engine) over many documents at once.

The jar comes from npm (`tools/package.json`: `npm ci --prefix tools`, as .ci/run does), or from
VNU_JAR. One JVM for all documents: starting it takes seconds. Without the jar or Java the
checks are skipped on a developer's machine and fail with CI=true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JAR = Path(os.environ.get("VNU_JAR", ROOT / "tools/node_modules/vnu-jar/build/dist/vnu.jar"))

# Nothing is ignored: htmx reads its attributes as data-hx-* (valid HTML) everywhere.
IGNORED: list[re.Pattern] = []


def vnu_command() -> list[str]:
    """The command that runs the checker; skips (fails with CI=true) when it can't run."""
    java = shutil.which("java")
    missing = None
    if java is None:
        missing = "Java (apt-get install default-jre-headless)"
    elif not JAR.is_file():
        missing = f"{JAR} (npm ci --prefix tools)"
    if missing:
        if os.environ.get("CI", "").lower() in ("1", "true"):
            pytest.fail(f"The Nu HTML checker needs {missing}; CI must run it")
        pytest.skip(f"The Nu HTML checker needs {missing}")
    return [java, "-Xss1m", "-jar", str(JAR)]


def html_errors(documents: dict[str, str], folder: Path) -> list[str]:
    """'<name>: line N: message' for every error the checker finds in the documents (name ->
    HTML), but the IGNORED ones."""
    names, paths = {}, []
    for number, (name, html) in enumerate(sorted(documents.items())):
        path = folder / f"page-{number:04d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name
        paths.append(str(path))
    result = subprocess.run(
        [*vnu_command(), "--errors-only", "--format", "json", "--exit-zero-always", *paths],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        messages = json.loads(result.stderr)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"vnu.jar gave no report: {result.stdout}{result.stderr}") from None
    errors = []
    for message in messages:
        text = message.get("message", "")
        if message.get("type") != "error" or any(p.match(text) for p in IGNORED):
            continue
        url = message.get("url", "")
        name = names.get(url.rsplit("/", 1)[-1], url)
        errors.append(f"{name}: line {message.get('lastLine', '?')}: {text}")
    return errors
