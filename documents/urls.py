from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("operators/<int:operator_id>/", views.checklist, name="checklist"),
    path("operators/<int:operator_id>/upload/", views.upload, name="upload"),
    path("<int:document_id>/download/", views.download, name="download"),
    path("<int:document_id>/delete/", views.delete, name="delete"),
]
