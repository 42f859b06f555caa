from django.shortcuts import render
from wagtail.models import Page


def search_page(request):
    """The search page. Until the search issue lands: live pages the user may see, via the
    configured Wagtail search backend."""
    q = request.GET.get("q", "").strip()
    results = []
    if q:
        results = Page.objects.live().public().specific().search(q)[:20]
    return render(request, "search/search.html", {"q": q, "results": results})
