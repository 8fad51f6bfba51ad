from django.urls import path

from cases import converters  # noqa: F401 - registers <casenr:…>
from cases.views import cases as case_views
from cases.views import privacy as privacy_views
from cases.views import secondline as secondline_views
from cases.views import socialekaart as socialekaart_views

app_name = "cases"

urlpatterns = [
    # cases (cases/views/cases.py)
    path("", case_views.case_list, name="list"),
    path("nieuw/", case_views.case_register, name="register"),
    path("nieuw/deelprobleem/", case_views.subproblem_row, name="subproblem_row"),
    path("nieuw/eerdere-casussen/", case_views.earlier_cases, name="earlier_cases"),
    path("<casenr:number>/", case_views.case_detail, name="detail"),
    path("<casenr:number>/wijzigen/", case_views.case_edit, name="edit"),
    path("<casenr:number>/deelprobleem/", case_views.subproblem_add, name="subproblem_add"),
    path("<casenr:number>/status/", case_views.case_status, name="status"),
    path("<casenr:number>/notitie/", case_views.note_add, name="note"),
    path("<casenr:number>/identiteit/", case_views.identity_edit, name="identity"),
    path("<casenr:number>/identiteit/inzien/", case_views.identity_reveal, name="reveal"),
    # second line: consult, advice, warm handover (cases/views/secondline.py)
    path("<casenr:number>/advocaat/", secondline_views.consult, name="consult"),
    path("<casenr:number>/advies/", secondline_views.advice_all, name="advice_all"),
    path("<casenr:number>/advies/<int:position>/", secondline_views.advice, name="advice"),
    path("<casenr:number>/overdragen/", secondline_views.handover, name="handover"),
    path("overdrachten/", secondline_views.handover_inbox, name="handovers"),
    path("overdrachten/<int:pk>/", secondline_views.handover_decide, name="handover_decide"),
    path(
        "overdrachten/<int:pk>/opgepakt/",
        secondline_views.handover_pick_up,
        name="handover_pick_up",
    ),
    path(
        "overdrachten/<int:pk>/verwijsbrief/",
        secondline_views.handover_letter,
        name="handover_letter",
    ),
    # sociale kaart (cases/views/socialekaart.py)
    path("sociale-kaart/", socialekaart_views.socialmap_list, name="socialekaart"),
    path("sociale-kaart/nieuw/", socialekaart_views.socialmap_new, name="socialekaart_new"),
    path("sociale-kaart/<int:pk>/", socialekaart_views.socialmap_edit, name="socialekaart_edit"),
    path(
        "sociale-kaart/<int:pk>/gecontroleerd/",
        socialekaart_views.socialmap_checked,
        name="socialekaart_checked",
    ),
    path(
        "sociale-kaart/<int:pk>/deactiveren/",
        socialekaart_views.socialmap_deactivate,
        name="socialekaart_deactivate",
    ),
    # privacy: audit log, data subject requests (cases/views/privacy.py)
    path("audit/", privacy_views.audit_log, name="audit"),
    path("avg/", privacy_views.dsr, name="dsr"),
    path("avg/inzage/", privacy_views.dsr_export, name="dsr_export"),
    path("avg/wissen/", privacy_views.dsr_erase, name="dsr_erase"),
]
