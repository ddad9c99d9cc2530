"""Pages of the app, under /connectors/."""

from __future__ import annotations

from django.urls import path

from .views import accounts as views
from .views import wechat as wechat_views

app_name = "connectors"

urlpatterns: list = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<int:account_id>/", views.account_detail, name="detail"),
    path("<int:account_id>/edit/", views.account_edit, name="edit"),
    path("<int:account_id>/delete/", views.account_delete, name="delete"),
    path("<int:account_id>/check/", views.account_check, name="check"),
    path("<int:account_id>/sync/", views.account_sync, name="sync"),
    path("<int:account_id>/runs/", views.run_list, name="runs"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("links/<int:link_id>/", views.link_action, name="link"),
    path("findings/<int:finding_id>/resolve/", views.finding_resolve, name="finding_resolve"),
    path("links/<int:link_id>/face-task/", wechat_views.face_task_start, name="face_task_start"),
    path("reviews/<int:review_id>/renewed/", wechat_views.review_renewed, name="review_renewed"),
]
