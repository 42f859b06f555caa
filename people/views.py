from django.shortcuts import get_object_or_404, render

from .models import Profile


def directory(request):
    """The staff directory: everyone with their department, in one query."""
    profiles = Profile.objects.select_related("user", "department").filter(user__is_active=True).order_by(
        "user__last_name", "user__first_name"
    )
    return render(request, "people/directory.html", {"profiles": profiles})


def profile(request, username):
    profile = get_object_or_404(
        Profile.objects.select_related("user", "department"), user__username=username, user__is_active=True
    )
    return render(request, "people/profile.html", {"profile": profile})
