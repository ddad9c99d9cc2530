"""Push URLs of a WeChat connector account (included at /connectors/wechat/)."""

from django.urls import path

from . import views

app_name = "connectors_wechat"

urlpatterns = [
    path("<uuid:push_key>/events/", views.authorization_events, name="push-events"),
    path(
        "<uuid:push_key>/messages/<str:appid>/",
        views.mini_program_messages,
        name="push-messages",
    ),
]
