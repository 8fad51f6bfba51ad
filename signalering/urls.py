from django.urls import path

from signalering import views

app_name = "signalering"

urlpatterns = [
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
