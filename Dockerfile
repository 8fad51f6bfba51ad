# syntax=docker/dockerfile:1
# Production image. The same image runs the web server (gunicorn, static files through WhiteNoise),
# the Celery worker and Celery beat: see docker-compose.yml. Configuration comes from the
# environment only (variables in .env.example); nothing secret is baked in.
#
#   docker build -t pilot .
FROM python:3.11-slim

# Production, explicitly: without DJANGO_SECRET_KEY, the encryption keys and DATABASE_URL in the
# container's environment the application refuses to start.
ENV DJANGO_DEBUG=0 \
    DB_CONN_MAX_AGE=60 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# WeasyPrint (minutes and library entries as PDF) needs Pango and its fonts
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so a code change doesn't reinstall them. pyproject.toml has
# `packages = []`: `pip install .` installs only the dependencies, the code runs from /app.
COPY pyproject.toml ./
RUN pip install . && rm -rf build ./*.egg-info

# The application runs as this user, never as root. It owns nothing in /app but .data/.
RUN useradd --system --uid 10001 --user-group --create-home --shell /usr/sbin/nologin pilot

# The application code, copied piece by piece so that local files (.env, .venv, .data with a
# development database, .git) never end up in the image. A new Django app needs a line here
# (tests/pilot/test_docker_compose.py checks that every local app in INSTALLED_APPS has one).
COPY manage.py ./
COPY pilot/ pilot/
COPY accounts/ accounts/
COPY cases/ cases/
COPY piket/ piket/
COPY signalering/ signalering/
COPY bestpractices/ bestpractices/
COPY research/ research/
COPY templates/ templates/
COPY static/ static/
COPY locale/ locale/

# Static files into .data/static with the hashed-name manifest (DJANGO_DEBUG=0). The secrets on
# this line are build-only dummies: they exist only while this command runs, are not in the
# image's environment, and the database is never contacted.
RUN DJANGO_DEBUG=0 \
    DJANGO_SECRET_KEY=build-only-dummy-secret-key-not-used-at-run-time \
    MFA_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMDAwMDAwMDA= \
    IDENTITY_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMTExMTExMTE= \
    IDENTITY_HASH_KEY=build-only-dummy-hash-key \
    RESEARCH_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMjIyMjIyMjI= \
    DATABASE_URL=postgres://build@127.0.0.1:1/build \
    python manage.py collectstatic --noinput \
 && mkdir -p .data/mail .data/exports \
 && chown pilot:pilot .data .data/mail .data/exports

USER 10001:10001

EXPOSE 8000

# Workers: gunicorn reads WEB_CONCURRENCY (default 1). No access log: it would hold IP addresses.
CMD ["gunicorn", "pilot.wsgi:application", "--bind", "0.0.0.0:8000"]
