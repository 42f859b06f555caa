from django.urls import path

from . import views

# Included at the site root before the wiki's URLs and Wagtail's page serving (intranet/urls.py).
app_name = "feedback"
urlpatterns = [
    path("wiki/seite/<int:page_id>/frage/", views.ask, name="ask"),
    path("wiki/seite/<int:page_id>/hilfreich/", views.feedback, name="feedback"),
    path("wiki/fragen/<int:question_id>/", views.question, name="question"),
    path("wiki/fragen/<int:question_id>/antworten/", views.answer, name="answer"),
    path("wiki/fragen/<int:question_id>/erledigt/", views.resolve, name="resolve"),
    path("wiki/fragen/<int:question_id>/faq/", views.faq, name="faq"),
    path("wiki/meine-seiten/", views.desk, name="desk"),
]
