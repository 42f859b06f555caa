from django.conf import settings


def site(request):
    """Values every page template needs: the site name and the language switcher's choices."""
    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME}
