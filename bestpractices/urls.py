from django.urls import path

from bestpractices import views

app_name = "bestpractices"

urlpatterns = [
    path("", views.library, name="library"),
    path("nieuw/", views.propose, name="propose"),
    path("beoordelen/", views.dashboard, name="dashboard"),
    path("volgen/", views.subscriptions, name="subscriptions"),
    path("voorbeeld/", views.preview, name="preview"),
    path("<slug:slug>/", views.entry_detail, name="entry"),
    path("<slug:slug>/wijzigen/", views.entry_edit, name="edit"),
    path("<slug:slug>/taakverdeling/", views.task_rows, name="task_rows"),
    path("<slug:slug>/status/", views.entry_transition, name="transition"),
    path("<slug:slug>/nieuwe-versie-vaststellen/", views.adopt_pending, name="adopt_pending"),
    path("<slug:slug>/steunen/", views.endorse, name="endorse"),
    path("<slug:slug>/reageren/", views.comment, name="comment"),
    path("<slug:slug>/volgen/", views.follow, name="follow"),
    path("<slug:slug>/herbeoordelen/", views.review, name="review"),
    path("<slug:slug>/nuttig/", views.feedback, name="feedback"),
    path("<slug:slug>/openbaar/", views.publish, name="publish"),
    path("<slug:slug>/verschil/", views.diff, name="diff"),
    path("<slug:slug>/terugzetten/", views.restore, name="restore"),
    path("<slug:slug>/lokale-variant/", views.variant, name="variant"),
]
