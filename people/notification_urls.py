from django.urls import path

from . import notification_views

app_name = "notifications"
urlpatterns = [
    path("", notification_views.inbox, name="inbox"),
]
