from django.urls import path

from bestpractices import views

app_name = "bestpractices"

urlpatterns = [
    path("", views.library, name="library"),
    path("nieuw/", views.propose, name="propose"),
    path(
        "uit-aanbeveling/<int:pk>/",
        views.propose_from_recommendation,
        name="propose_from_recommendation",
    ),
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
    path("<slug:slug>/afdrukken/", views.entry_print, name="print"),
    path("<slug:slug>/pdf/", views.entry_pdf, name="pdf"),
    path("<slug:slug>/terugzetten/", views.restore, name="restore"),
    path("<slug:slug>/lokale-variant/", views.variant, name="variant"),
]


# ---------------------------------------------------------------- search, task matrix, public pages

# Before "<slug>/": these words name pages, never an entry.
urlpatterns[0:0] = [
    path("taakverdeling/", views.task_matrix, name="task_matrix"),
    path("synoniemen/", views.synonyms, name="synonyms"),
    path("synoniemen/<int:pk>/", views.synonym_edit, name="synonym_edit"),
    path("synoniemen/<int:pk>/verwijderen/", views.synonym_delete, name="synonym_delete"),
]

# Readable without an account, at stable addresses (pilot/urls.py: /praktijk/).
public_urlpatterns = (
    [
        path("", views.public_index, name="index"),
        path("taakverdeling/", views.public_task_matrix, name="task_matrix"),
        path("feed/", views.public_feed, name="feed"),
        path("publiek/<slug:slug>/", views.public_entry, name="entry"),
        path("publiek/<slug:slug>/afdrukken/", views.public_entry_print, name="print"),
        path("publiek/<slug:slug>/pdf/", views.public_entry_pdf, name="pdf"),
    ],
    "praktijk",
)
