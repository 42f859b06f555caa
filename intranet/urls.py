from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from intranet import account_views, views
from intranet.api import api
from people import views as people_views

# One table of every URL. Apps bring their own url modules; Wagtail's page serving comes last.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("api-zugang/", include("intranet.token_urls")),
    path("konto/2fa/totp/activate/", people_views.activate_totp),  # allauth's, see people.views
    path("konto/", account_views.account_overview, name="account_overview"),
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # Wagtail's and Django's own sign-in and password-reset forms only lead to allauth's (second
    # factor, limits on guessing): no routed URL signs anybody in with a password alone.
    path("admin/login/", views.to_sign_in),
    re_path(r"^admin/password_reset/", views.to_password_reset),
    path("django-admin/login/", views.to_sign_in),
    # Wagtail's front-end sign-in for private pages, and its page and document passwords: the
    # intranet restricts by sign-in and by group, never by a shared password.
    path("_util/login/", views.to_sign_in),
    re_path(r"^_util/authenticate_with_password/", views.to_sign_in),
    re_path(r"^dokumente/authenticate_with_password/", views.to_sign_in),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("dokumente/", include(wagtaildocs_urls)),
    path("suche/", include("search.urls")),
    path("personen/", include("people.urls")),
    path("beitraege/", include("posts.urls")),
    path("benachrichtigungen/", include("people.notification_urls")),
    path("", include("feedback.urls")),  # questions and feedback on pages: /wiki/fragen/..., /wiki/meine-seiten/
    path("", include("home.urls")),  # wiki: /themen/, /wiki/... (before Wagtail's page serving)
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler403 = "intranet.views.error_403"
handler404 = "intranet.views.error_404"
handler500 = "intranet.views.error_500"
