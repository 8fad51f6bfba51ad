"""Settings of the HTTP benchmark (bench/http_pages.py): the product's production settings,
plus the benchmark's own URL configuration (bench/urls.py: two reference views next to the
product's pages) and a static root of its own.

Selected only by `DJANGO_SETTINGS_MODULE=bench.settings`, which bench/http_pages.py sets for
the gunicorn it starts. The product's settings know nothing of it, and the production image does not
contain bench/ (Dockerfile), so the reference views can never be served in production.
"""

from pilot.settings import *  # noqa: F403 - the product's settings, unchanged
from pilot.settings import BASE_DIR

ROOT_URLCONF = "bench.urls"
# collectstatic of the benchmark (production's hashed, compressed files) apart from .data/static
STATIC_ROOT = BASE_DIR / "bench" / "results" / "static"
