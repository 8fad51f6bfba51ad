"""The container setup, read as text: Dockerfile, docker-compose.yml and .env.example.

No Docker engine is needed: these tests check what can go wrong by editing one file and not the
others (a new setting without documentation, a new app not copied into the image).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")

# Variables not read by pilot/settings.py that .env.example may still document.
DOCUMENTED_ELSEWHERE = {
    "POSTGRES_PASSWORD",  # docker-compose.yml: the db service and DATABASE_URL
    "WEB_CONCURRENCY",  # read by gunicorn itself
}


def settings_variables() -> set[str]:
    """Names of the environment variables pilot/settings.py reads."""
    source = (ROOT / "pilot" / "settings.py").read_text()
    pattern = (
        r"\b(?:env|envbool|envint|envlist)\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']"
        r"|os\.environ(?:\.get\(|\[)\s*[\"']([A-Z][A-Z0-9_]*)[\"']"
        r"|os\.getenv\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']"
    )
    return {next(name for name in match if name) for match in re.findall(pattern, source)}


def documented_variables() -> set[str]:
    """Names assigned in .env.example, also when commented out (`# NAME=`, `# productie: NAME=`)."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"(?m)^[#\s]*(?:productie:\s*)?([A-Z][A-Z0-9_]*)=", text))


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments left out."""
    lines = [
        line
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if not line.lstrip().startswith("#")
    ]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


# ---------------------------------------------------------------- docker-compose.yml


def test_db_is_postgres_16_with_healthcheck_and_named_volume(compose, services):
    db = services["db"]
    assert db["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume_names = {volume.split(":", 1)[0] for volume in db["volumes"]}
    data_volumes = {v for v in db["volumes"] if v.endswith(":/var/lib/postgresql/data")}
    assert data_volumes, "the database needs a volume on /var/lib/postgresql/data"
    assert volume_names & set(compose["volumes"]), "the database volume must be a named volume"


def test_redis_is_redis_7_with_healthcheck(services):
    redis = services["redis"]
    assert redis["image"].startswith("redis:7")
    assert "ping" in " ".join(redis["healthcheck"]["test"])


def test_web_runs_gunicorn_on_port_8000(services):
    command = command_text(services["web"])
    assert command.startswith("gunicorn ")
    assert "pilot.wsgi:application" in command
    assert "0.0.0.0:8000" in command


def test_worker_and_beat_run_celery(services):
    assert re.match(r"celery -A pilot worker\b", command_text(services["worker"]))
    beat = command_text(services["beat"])
    assert re.match(r"celery -A pilot beat\b", beat)
    assert re.search(r"--schedule[ =]/tmp/", beat), (
        "/app is not writable: the schedule goes in /tmp"
    )


def migrations_before(services: dict, name: str) -> bool:
    """Whether service `name` migrates itself or waits for a one-shot service that does."""

    def migrates(command: str) -> bool:
        return "migrate --noinput" in command and "createcachetable" in command

    if migrates(command_text(services[name])):
        return True
    return any(
        condition.get("condition") == "service_completed_successfully"
        and migrates(command_text(services[dependency]))
        for dependency, condition in services[name]["depends_on"].items()
    )


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_redis_and_migrations(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert migrations_before(services, name)


@pytest.mark.parametrize("name", ["web", "worker"])
def test_web_and_worker_wait_for_a_healthy_database(services, name):
    assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"


def test_one_shot_migration_runs_once(services):
    for name, service in services.items():
        if "migrate --noinput" in command_text(service) and name not in APP_SERVICES:
            assert service.get("restart", "no") == "no", "a one-shot service must not restart"
            assert service["depends_on"]["db"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_build_the_image_and_read_env(services, name):
    service = services[name]
    assert service["build"] == "."
    env_files = service["env_file"]
    assert ".env" in ([env_files] if isinstance(env_files, str) else env_files)
    environment = service["environment"]
    assert "@db:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379")


def test_every_app_service_runs_production_explicitly(services):
    """Not left to the default or to .env: the stack never runs with debug and development keys."""
    for name, service in services.items():
        if service.get("build") == ".":
            assert str(service["environment"]["DJANGO_DEBUG"]) == "0", name


# ---------------------------------------------------------------- Dockerfile


def test_dockerfile_runs_production_explicitly():
    env_words = [
        word
        for keyword, arguments in dockerfile_instructions()
        if keyword == "ENV"
        for word in shlex.split(arguments)
    ]
    assert "DJANGO_DEBUG=0" in env_words


def test_dockerfile_base_install_and_cmd():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    assert any(
        kw == "RUN" and re.search(r"pip install \.(\s|$)", args) for kw, args in instructions
    )
    cmd = [args for kw, args in instructions if kw == "CMD"][-1]
    assert cmd.startswith("[") and cmd.endswith("]"), "exec form, so gunicorn gets the signals"
    words = yaml.safe_load(cmd)
    assert words[0] == "gunicorn"
    assert "pilot.wsgi:application" in words
    assert "0.0.0.0:8000" in words


def test_dockerfile_does_not_run_as_root():
    users = [args for kw, args in dockerfile_instructions() if kw == "USER"]
    assert users, "the Dockerfile needs a USER line"
    user = users[-1].split(":", 1)[0]
    assert user not in ("root", "0")


def test_dockerfile_collects_static_files_without_debug():
    runs = [
        args for kw, args in dockerfile_instructions() if kw == "RUN" and "collectstatic" in args
    ]
    assert len(runs) == 1
    words = shlex.split(runs[0])
    assert "DJANGO_DEBUG=0" in words[: words.index("python")]


def test_dockerfile_copies_every_local_app():
    """`COPY . .` would take .env and .data along, so the code is copied per directory."""
    from django.conf import settings

    copied = set()
    for keyword, arguments in dockerfile_instructions():
        if keyword == "COPY":
            sources = [word for word in arguments.split() if not word.startswith("--")][:-1]
            copied.update(source.strip("/") for source in sources)
    assert ".env" not in copied and "." not in copied
    local_apps = {
        app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()
    }
    needed = local_apps | {"pilot", "manage.py", "pyproject.toml", "templates", "static"}
    locale = ROOT / "locale"
    if locale.is_dir() and any(path.is_file() for path in locale.rglob("*")):
        needed.add("locale")
    assert needed <= copied, f"not copied into the image: {sorted(needed - copied)}"


# ---------------------------------------------------------------- .env.example


def test_settings_variables_are_found():
    """Guards the regex: if it stopped matching, the next tests would pass on nothing."""
    assert {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL", "MFA_ENCRYPTION_KEYS"} <= (
        settings_variables()
    )


def test_every_settings_variable_is_documented():
    missing = settings_variables() - documented_variables()
    assert not missing, f"read by pilot/settings.py but not in .env.example: {sorted(missing)}"


def test_every_compose_variable_is_documented(compose):
    text = (ROOT / "docker-compose.yml").read_text()
    names = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
    for service in compose["services"].values():
        environment = service.get("environment", {})
        if isinstance(environment, list):
            environment = dict(item.partition("=")[::2] for item in environment)
        names.update(environment)
    # The db service's own variables belong to the postgres image, not to this project.
    names -= {"POSTGRES_DB", "POSTGRES_USER"}
    missing = names - documented_variables()
    assert not missing, f"used in docker-compose.yml but not in .env.example: {sorted(missing)}"


def test_env_example_documents_nothing_stale():
    stale = documented_variables() - settings_variables() - DOCUMENTED_ELSEWHERE
    assert not stale, f"in .env.example but read by nothing: {sorted(stale)}"


def test_env_example_sets_nothing_empty():
    """An empty value is not the default (DJANGO_SECURE= turns HTTPS off): comment it out."""
    text = (ROOT / ".env.example").read_text()
    empty = re.findall(r"(?m)^([A-Z][A-Z0-9_]*)=\s*$", text)
    assert not empty, f"set to an empty value in .env.example: {empty}"


def test_env_example_does_not_switch_debug_on():
    """.env is what docker compose reads: debug belongs to `make run` and `make test` only."""
    text = (ROOT / ".env.example").read_text()
    assert not re.search(r"(?m)^\s*DJANGO_DEBUG\s*=\s*(1|true|yes|on)\s*$", text, re.IGNORECASE)


def test_env_example_tells_how_to_make_an_mfa_key():
    text = (ROOT / ".env.example").read_text()
    assert "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" in text


def test_web_and_worker_share_the_research_export_directory(services):
    """The worker writes an export, the web process serves its download: one volume for both,
    mounted where the image's settings put the files (RESEARCH_EXPORT_DIR's default)."""
    from django.conf import settings

    in_image = "/app/" + str(settings.RESEARCH_EXPORT_DIR.relative_to(settings.BASE_DIR))
    mounts = {
        name: {volume for volume in services[name].get("volumes", []) if volume.endswith(in_image)}
        for name in ("web", "worker")
    }
    assert mounts["web"] and mounts["web"] == mounts["worker"]
    assert "mkdir -p .data/mail .data/exports" in (ROOT / "Dockerfile").read_text()
