from django.urls import path  # noqa: F401 - the paths follow as the pages are added

from research.views import dashboards, exports  # noqa: F401

app_name = "research"

urlpatterns = [
    # dashboards (research/views/dashboards.py)
    # exports: requests, approval, progress, download (research/views/exports.py)
]
