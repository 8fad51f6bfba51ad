from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from bestpractices.urls import public_urlpatterns
from pilot import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("casussen/", include("cases.urls")),
    path("piket/", include("piket.urls")),
    path("onderzoek/", include("research.urls")),
    path("signalering/", include("signalering.urls")),
    path("bibliotheek/", include("bestpractices.urls")),
    path("praktijk/", include(public_urlpatterns)),
    path("beheer/", admin.site.urls),
]
