from django.urls import path

from . import views

# Included at the site root before Wagtail's page serving (intranet/urls.py).
app_name = "home"
urlpatterns = [
    path("themen/", views.tag_index, name="tags"),
    path("themen/<str:slug>/", views.tag_page, name="tag"),
    path("wiki/seite/<int:page_id>/geprueft/", views.mark_reviewed, name="mark_reviewed"),
    path("wiki/seite/<int:page_id>/beobachten/", views.watch, name="watch"),
    path("wiki/seite/<int:page_id>/versionen/", views.history, name="history"),
    path("wiki/seite/<int:page_id>/versionen/<int:log_id>/", views.version_diff, name="version_diff"),
    path("wiki/defekte-links/", views.broken_links, name="broken_links"),
    path("wiki/beobachtet/", views.watched, name="watched"),
    path("zu-lesen/", views.reading_list, name="reading_list"),
    path("zu-lesen/<int:pk>/gelesen/", views.confirm_reading, name="reading_confirm"),
    path("zu-lesen/<int:pk>/stand/", views.reading_status, name="reading_status"),
]
