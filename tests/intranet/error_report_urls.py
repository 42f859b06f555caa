"""The site's URLs plus one that fails, for tests/intranet/test_error_reports.py."""

from django.urls import path

from intranet.urls import urlpatterns as site_urlpatterns


def fails(request):
    raise RuntimeError("Absturz im Test")


urlpatterns = [path("test-absturz/", fails), *site_urlpatterns]
