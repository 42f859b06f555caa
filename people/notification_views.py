from django.shortcuts import render


def inbox(request):
    """The notifications inbox (built with the microblog issue)."""
    items = request.user.notifications.select_related("actor")[:50]
    return render(request, "people/notifications.html", {"items": items})
