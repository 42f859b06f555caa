from django.shortcuts import render


def feed(request):
    """The microblog feed (built in the microblog issue)."""
    return render(request, "posts/feed.html", {})
