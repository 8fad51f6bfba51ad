from django.urls import path

from bestpractices import views

app_name = "bestpractices"

urlpatterns = []

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
