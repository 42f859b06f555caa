from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from intranet import views
from intranet.api import api

# One table of every URL. Apps bring their own url modules; Wagtail's page serving comes last.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("api-zugang/", include("intranet.token_urls")),
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("dokumente/", include(wagtaildocs_urls)),
    path("suche/", include("search.urls")),
    path("personen/", include("people.urls")),
    path("beitraege/", include("posts.urls")),
    path("benachrichtigungen/", include("people.notification_urls")),
    path("", include("home.urls")),  # wiki: /themen/, /wiki/... (before Wagtail's page serving)
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler403 = "intranet.views.error_403"
handler404 = "intranet.views.error_404"
handler500 = "intranet.views.error_500"
