from django.urls import path

from . import views

app_name = "signin"

urlpatterns = [
    path("<int:pk>/", views.sign_in_policy, name="policy"),
]
