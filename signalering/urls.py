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
]
