from django.urls import path

from . import notification_views

app_name = "notifications"
urlpatterns = [
    path("", notification_views.inbox, name="inbox"),
    path("<int:pk>/", notification_views.open_item, name="open"),
    path("gelesen/", notification_views.mark_read, name="mark_read"),
    path("einstellungen/", notification_views.settings_view, name="settings"),
]
