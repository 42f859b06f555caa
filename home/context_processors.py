"""The navigation's "Zu lesen" count on every signed-in page: a callable, so a page costs its one
query only when the template shows it (base.html's navigation does)."""

from functools import cache


def reading(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def reading_count():
        from .reading_selectors import reading_count as count

        return count(user=user)

    return {"reading_count": reading_count}
