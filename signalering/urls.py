from django.urls import path

from signalering import views

app_name = "signalering"

urlpatterns = [
    path("overleggen/", views.meetings, name="meetings"),
    path("reeksen/nieuw/", views.series_new, name="series_new"),
    path("reeksen/<int:pk>/", views.series_detail, name="series"),
    path("reeksen/<int:pk>/deelnemers/", views.member_add, name="member_add"),
    path("deelnemers/<int:pk>/afmelden/", views.member_remove, name="member_remove"),
    path("reeksen/<int:pk>/sjabloon/", views.template_item_add, name="template_item_add"),
    path("sjabloon/<int:pk>/verwijderen/", views.template_item_remove, name="template_item_remove"),
    path("reeksen/<int:pk>/overleg-plannen/", views.meeting_new, name="meeting_new"),
    path("overleggen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("overleggen/<int:pk>/voorbereiden/", views.meeting_prepare, name="meeting_prepare"),
    path("overleggen/<int:pk>/agendapunt/", views.item_add, name="item_add"),
    path("overleggen/<int:pk>/aanwezigheid/", views.attendance, name="attendance"),
    path("overleggen/<int:pk>/vaststellen/", views.minutes_approve, name="minutes_approve"),
    path("overleggen/<int:pk>/corrigeren/", views.minutes_correct, name="minutes_correct"),
    path("overleggen/<int:pk>/verslag.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("verslagen/<int:pk>/", views.minutes_version, name="minutes_version"),
    path("agendapunten/<int:pk>/", views.item_minutes, name="item"),
    path("agendapunten/<int:pk>/besluit/", views.decision_add, name="decision_add"),
    path("agendapunten/<int:pk>/actie/", views.action_add, name="action_add"),
    path("agendapunten/<int:pk>/naar-volgend-overleg/", views.item_copy, name="item_copy"),
    path("acties/", views.actions, name="actions"),
    path("acties/<int:pk>/status/", views.action_status, name="action_status"),
    path("antwoord/<str:token>/<str:answer>/", views.respond, name="respond"),
    # ------------------------------------------------------------ signals and recommendations
    path("signalen/", views.signal_list, name="signals"),
    path("signalen/nieuw/", views.signal_new, name="signal_new"),
    path("signalen/<int:pk>/", views.signal_detail, name="signal"),
    path("signalen/<int:pk>/afhandelen/", views.signal_resolve, name="signal_resolve"),
    path("signalen/<int:pk>/terecht/", views.signal_judge, name="signal_judge"),
    path("aanbevelingen/", views.recommendation_list, name="recommendations"),
    path("aanbevelingen/nieuw/", views.recommendation_new, name="recommendation_new"),
    path(
        "besluiten/<int:pk>/aanbeveling/",
        views.recommendation_from_decision,
        name="recommendation_from_decision",
    ),
    path("aanbevelingen/samenvoegen/", views.recommendation_merge, name="recommendation_merge"),
    path("aanbevelingen/csv/", views.recommendations_csv, name="recommendations_csv"),
    path("aanbevelingen/xlsx/", views.recommendations_xlsx, name="recommendations_xlsx"),
    path("aanbevelingen/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path(
        "aanbevelingen/<int:pk>/status/", views.recommendation_status, name="recommendation_status"
    ),
    path(
        "aanbevelingen/<int:pk>/antwoord/",
        views.recommendation_answer,
        name="recommendation_answer",
    ),
    path(
        "aanbevelingen/<int:pk>/mijlpaal/",
        views.recommendation_milestone,
        name="recommendation_milestone",
    ),
    path(
        "aanbevelingen/<int:pk>/mijlpaal/bereikt/",
        views.recommendation_milestone_done,
        name="recommendation_milestone_done",
    ),
    path(
        "aanbevelingen/<int:pk>/instemming/",
        views.recommendation_consent,
        name="recommendation_consent",
    ),
    path(
        "aanbevelingen/<int:pk>/splitsen/", views.recommendation_split, name="recommendation_split"
    ),
    path("landelijk/", views.national, name="national"),
]
