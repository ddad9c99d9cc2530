"""Mounted at /reports/imports/, where the import pages have always been."""

from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("template.<slug:fmt>", views.template, name="template"),
    path("<int:run_id>/", views.detail, name="detail"),
    path("<int:run_id>/status/", views.status, name="status"),
    path("<int:run_id>/commit/", views.commit, name="commit"),
    path("<int:run_id>/problems/", views.problems, name="problems"),
    path("<int:run_id>/discard/", views.discard, name="discard"),
]
