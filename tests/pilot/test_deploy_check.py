"""Production settings: `check --deploy` is clean, production is the default and fails closed
(missing secrets or DATABASE_URL stop the start), a missing broker is warned about, and the
Dockerfile's build-time collectstatic works with only the variables it passes.

Each test runs manage.py in a fresh process, because settings are read once at import.
No database is needed: nothing here connects to it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pilot"


def settings_variables() -> set[str]:
    source = (ROOT / "pilot" / "settings.py").read_text()
    return set(
        re.findall(r"\b(?:env|envbool|envint|envlist)\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", source)
    )


def base_environment() -> dict[str, str]:
    """This process's environment without anything the settings read (a developer's
    DJANGO_SECURE=0 must not leak into a production check)."""
    read = settings_variables() | {"DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for the test run only
    return {name: value for name, value in os.environ.items() if name not in read}


def production_environment() -> dict[str, str]:
    return {
        **base_environment(),
        "DJANGO_SETTINGS_MODULE": "pilot.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "pilot.example.org",
        "MFA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "IDENTITY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "IDENTITY_HASH_KEY": secrets.token_urlsafe(40),
        "RESEARCH_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        # Never contacted by these commands; production has a broker.
        "REDIS_URL": "redis://redis.example.org:6379/0",
        "DJANGO_BEHIND_PROXY": "1",
    }


def manage(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_check_deploy_reports_nothing_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_environment())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output
    assert "WARNING" not in output and "?: (" not in output, output


def test_production_cookies_are_secure_http_only_and_same_site():
    """The language switch's cookie too, by the same switch as the session's (DJANGO_SECURE)."""
    names = [
        f"{cookie}_COOKIE_{flag}"
        for cookie in ("SESSION", "CSRF", "LANGUAGE")
        for flag in ("SECURE", "SAMESITE")
    ] + ["SESSION_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_HTTPONLY"]
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps([getattr(settings, n) for n in {names}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    values = dict(zip(names, json.loads(result.stdout), strict=True))
    assert values == {
        **{name: True for name in names if name.endswith(("SECURE", "HTTPONLY"))},
        **{name: "Lax" for name in names if name.endswith("SAMESITE")},
    }


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "MFA_ENCRYPTION_KEYS",
        "IDENTITY_ENCRYPTION_KEYS",
        "IDENTITY_HASH_KEY",
        "RESEARCH_ENCRYPTION_KEYS",
    ],
)
def test_production_refuses_to_start_without_secret(missing):
    env = production_environment()
    del env[missing]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_without_django_debug_the_settings_are_production_and_refuse_development_keys():
    env = {**production_environment(), "DATABASE_URL": ""}
    for name in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "MFA_ENCRYPTION_KEYS", "IDENTITY_HASH_KEY"):
        del env[name]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is required" in result.stderr
    assert "DJANGO_DEBUG=1" in result.stderr, "the message tells a developer what to do"


@pytest.mark.parametrize("debug", ["0", None])
def test_production_refuses_to_start_without_database_url(debug):
    """No embedded PostgreSQL outside debug: its data would live and die with the container."""
    env = production_environment()
    del env["DATABASE_URL"]
    if debug is None:
        del env["DJANGO_DEBUG"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL is required" in result.stderr
    assert "embedded PostgreSQL" in result.stderr
    assert "pgserver" not in result.stderr, "the embedded PostgreSQL must not even be started"


@pytest.mark.parametrize("value", ["ja", "2", "debug"])
def test_a_malformed_django_debug_is_refused(value):
    result = manage("check", env={**production_environment(), "DJANGO_DEBUG": value})
    assert result.returncode != 0
    assert f"DJANGO_DEBUG must be 0 or 1, not {value!r}" in result.stderr


def test_check_warns_when_production_has_no_broker():
    env = production_environment()
    del env["REDIS_URL"]
    result = manage("check", env=env)
    assert result.returncode == 0, result.stderr
    assert "(pilot.W001)" in result.stderr
    for task in ("Retention", "piket reminders", "generation of piket shifts", "never run"):
        assert task in result.stderr


def test_development_without_broker_gets_no_warning():
    env = {**production_environment(), "DJANGO_DEBUG": "1"}
    del env["REDIS_URL"]
    result = manage("check", env=env)
    assert result.returncode == 0, result.stderr
    assert "pilot.W001" not in result.stdout + result.stderr


@pytest.mark.parametrize("module", ["pilot.wsgi", "pilot.asgi"])
def test_the_web_server_logs_the_missing_broker_at_start_up(module):
    """gunicorn runs no system checks: loading the application must say it in the log."""
    env = production_environment()
    command = [sys.executable, "-c", f"import {module}"]
    with_broker = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert with_broker.returncode == 0, with_broker.stderr
    assert "pilot.W001" not in with_broker.stderr
    del env["REDIS_URL"]
    without = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert without.returncode == 0, without.stderr
    assert re.search(r"WARNING pilot\.checks REDIS_URL is not set.*\(pilot\.W001\)", without.stderr)


def test_dockerfile_build_time_collectstatic(tmp_path):
    """Runs the Dockerfile's collectstatic line with exactly its variables (plus PATH), into a
    temporary folder: proves the dummy secrets suffice, no database is contacted, and the
    manifest storage can process every stylesheet."""
    dockerfile = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    (line,) = [
        line
        for line in dockerfile.splitlines()
        if line.startswith("RUN") and "collectstatic" in line
    ]
    words = shlex.split(line)[1:]
    assignments = []
    for word in words:
        if not re.match(r"[A-Z][A-Z0-9_]*=", word):
            break
        assignments.append(word.split("=", 1))
    build_env = dict(assignments)
    assert build_env["DJANGO_DEBUG"] == "0"
    assert "DATABASE_URL" in build_env, "without it the settings start an embedded PostgreSQL"

    script = (
        "import sys, django\n"
        "from django.conf import settings\n"
        "settings.STATIC_ROOT = sys.argv[1]\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "pilot.settings",
            **build_env,
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").is_file()
