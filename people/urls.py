from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    # Fixed words come before <username> (user names always contain a dot or are handles).
    path("organisation/", views.org_chart, name="org_chart"),
    path("abteilungen/<slug:slug>/", views.department, name="department"),
    path("profil/bearbeiten/", views.edit_profile, name="edit_profile"),
    path("abwesenheit/", views.absences, name="absences"),
    path("abwesenheit/<int:pk>/loeschen/", views.delete_absence, name="delete_absence"),
    path("datenschutz/", views.privacy_page, name="privacy"),
    path("datenschutz/export/", views.export_data, name="export"),
    path("<str:username>/loeschen/", views.erase, name="erase"),
    path("<str:username>/", views.profile, name="profile"),
]
