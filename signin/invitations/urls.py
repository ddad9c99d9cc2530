"""Routes of the invitation pages (see views.py)."""

from django.urls import path

from . import views

app_name = "invitations"
urlpatterns = [
    path("", views.invitation_list, name="list"),
    path("<int:invitation_id>/revoke/", views.invitation_revoke, name="revoke"),
    path("accept/<str:token>/", views.invitation_accept, name="accept"),
]
