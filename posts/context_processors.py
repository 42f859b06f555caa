"""Data every signed-in page shows: the urgent-notice banner and the inbox's unread count.

Both are passed as callables, so a page costs their query only when its template shows them
(one query each; base.html shows both on every signed-in page)."""

from functools import cache


def notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def urgent_notices():
        from .queries import active_urgent_notices

        return active_urgent_notices(user=user)

    @cache
    def unread_notifications():
        from people.notifications import unread_count

        return unread_count(user)

    return {"urgent_notices": urgent_notices, "unread_notifications": unread_notifications}
