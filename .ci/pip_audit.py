"""pip-audit over the installed dependencies: fails on any known vulnerability.

pip-audit asks PyPI's JSON API for each package's advisories. Where that API can't be reached
(a mirror that serves only the package index) every package comes back "not found", or the
connection fails and there is no report at all: nothing is audited, and that is reported as
BLOCKED, never as a pass. `make audit` fails then; .ci/run passes
--allow-blocked so that a machine without the advisory service can still land work, and prints
the warning in its log.

Ignored advisories, each with its reason (pip-audit --ignore-vuln):
    (none)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
IGNORED: dict[str, str] = {}  # advisory id -> why it does not apply to us


def main() -> int:
    allow_blocked = "--allow-blocked" in sys.argv[1:]
    command = [
        str(VENV_BIN / "pip-audit"),
        "--local",  # the virtualenv's packages, not the system's
        "--skip-editable",  # the project itself is not on PyPI
        "--progress-spinner",
        "off",
        "--format",
        "json",
        *(arg for vuln in IGNORED for arg in ("--ignore-vuln", vuln)),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except ValueError:
        # no report at all: the advisory service refused the connection (TLS, proxy, DNS)
        print("\n".join(result.stderr.strip().splitlines()[-1:]))
        print("pip-audit BLOCKED: no report (the advisory service could not be reached)")
        return 0 if allow_blocked else 2
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    if vulnerable:
        return 1
    if not audited:
        reason = dependencies[0].get("skip_reason", "") if dependencies else "no dependencies"
        print(f"pip-audit BLOCKED: none of {len(dependencies)} packages audited ({reason})")
        print("the advisory service (PyPI's JSON API) is not reachable from this machine")
        return 0 if allow_blocked else 2
    print(f"pip-audit: {len(audited)} packages audited, no known vulnerability")
    return 0


if __name__ == "__main__":
    sys.exit(main())
