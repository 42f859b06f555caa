from django.urls import path

from . import views

app_name = "posts"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("gefolgt/", views.following, name="following"),
    path("kanaele/", views.channels, name="channels"),
    path("kanal/<slug:slug>/", views.channel, name="channel"),
    path("thema/<str:name>/", views.tag, name="tag"),
    path("person/<str:username>/", views.person, name="person"),
    path("neue/", views.new_count, name="new_count"),
    path("schreiben/", views.compose, name="compose"),
    path("eilmeldung/", views.urgent, name="urgent"),
    path("meldungen/", views.reports, name="reports"),
    path("folgen/", views.follow, name="follow"),
    path("erwaehnen/", views.mention_suggestions, name="mention_suggestions"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/antworten/", views.reply, name="reply"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/verlauf/", views.history, name="history"),
    path("<int:pk>/loeschen/", views.delete, name="delete"),
    path("<int:pk>/ausblenden/", views.hide, name="hide"),
    path("<int:pk>/melden/", views.report, name="report"),
    path("<int:pk>/offiziell/", views.official, name="official"),
    path("<int:pk>/pflichtlektuere/", views.reading, name="reading"),
    path("<int:pk>/reaktion/", views.react, name="react"),
    path("<int:pk>/kenntnis/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/kenntnisnahmen/", views.acknowledgements, name="acknowledgements"),
    path("<int:pk>/eilmeldung-beenden/", views.end_urgent, name="end_urgent"),
    path("<int:pk>/anhang/", views.attachment, name="attachment"),
]
