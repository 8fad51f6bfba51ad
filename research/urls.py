from django.urls import path

from research.views import dashboards, exports  # noqa: F401

app_name = "research"

urlpatterns = [
    # dashboards (research/views/dashboards.py)
    path("cijfers/", dashboards.dashboard, name="dashboard"),
    path("cijfers/csv/", dashboards.dashboard_csv, name="dashboard_csv"),
    # exports: requests, approval, progress, download (research/views/exports.py)
]
