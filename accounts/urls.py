from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("uitnodigingen/", views.invitations, name="invitations"),
    path("uitnodigingen/<int:pk>/opnieuw/", views.resend_invitation, name="resend_invitation"),
    path("uitnodiging/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
