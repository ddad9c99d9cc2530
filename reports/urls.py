from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.report_create, name="report_create"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<int:run_id>/status/", views.run_status, name="run_status"),
    path("runs/<int:run_id>/download/", views.run_download, name="run_download"),
    path("imports/", views.import_create, name="import_create"),
    path("imports/template.<slug:fmt>", views.import_template, name="import_template"),
    path("imports/<int:run_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:run_id>/status/", views.import_status, name="import_status"),
    path("imports/<int:run_id>/commit/", views.import_commit, name="import_commit"),
    path("export/<slug:resource>.<slug:fmt>", views.export, name="export"),
]
