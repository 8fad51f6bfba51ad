from django.urls import path

from research.views import dashboards, exports

app_name = "research"

urlpatterns = [
    # dashboards (research/views/dashboards.py)
    *dashboards.urlpatterns,
    # exports (research/views/exports.py)
    *exports.urlpatterns,
]
