from django.urls import path

from cases.views import cases as case_views

app_name = "cases"

urlpatterns = [
    # cases (cases/views/cases.py)
    path("", case_views.case_list, name="list"),
    path("nieuw/", case_views.case_register, name="register"),
    # sociale kaart (cases/views/socialekaart.py)
    # privacy: audit log, data subject requests (cases/views/privacy.py)
]
