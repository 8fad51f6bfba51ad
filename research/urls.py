from django.urls import path

from research.views import dashboards, exports  # noqa: F401

app_name = "research"

urlpatterns = [
    # dashboards (research/views/dashboards.py)
    path("cijfers/", dashboards.dashboard, name="dashboard"),
    path("cijfers/csv/", dashboards.dashboard_csv, name="dashboard_csv"),
    # exports: requests, approval, progress, download (research/views/exports.py)
    path("exports/", exports.export_list, name="exports"),
    path("exports/nieuw/", exports.export_new, name="export_new"),
    path("exports/<int:pk>/", exports.export_detail, name="export"),
    path("exports/<int:pk>/status/", exports.export_status, name="export_status"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path("exports/beoordelen/", exports.export_queue, name="export_queue"),
    path("exports/<int:pk>/beoordelen/", exports.export_decide, name="export_decide"),
]
