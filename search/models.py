"""Search statistics, aggregate only: per day and normalised query text, how often it was
searched and how many results the last search had. No user, no IP address, no session —
nobody can tell who searched for what."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .analysis import fold, normalise_digraphs
from .synonym_terms import clean_terms


class SearchQueryStat(models.Model):
    day = models.DateField(_("day"), db_index=True)
    query = models.CharField(_("query"), max_length=200)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    result_count = models.PositiveIntegerField(_("results"), default=0)

    class Meta:
        verbose_name = _("search statistic")
        verbose_name_plural = _("search statistics")
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="search_stat_day_query")]

    def __str__(self):
        return f"{self.day} {self.query} ({self.searches})"


def normalise_query(q: str) -> str:
    """Lower case, folded, single spaces: "  Bürger  Amt" and "buerger amt" count together."""
    return " ".join(fold(normalise_digraphs((q or "").lower())).split())[:200]


def record_search(*, q: str, result_count: int) -> None:
    """Counts one search of ``q`` for today (aggregate only)."""
    query = normalise_query(q)
    if not query:
        return
    day = timezone.localdate()
    updated = SearchQueryStat.objects.filter(day=day, query=query).update(
        searches=F("searches") + 1, result_count=result_count
    )
    if not updated:
        stat, created = SearchQueryStat.objects.get_or_create(
            day=day, query=query, defaults={"searches": 1, "result_count": result_count}
        )
        if not created:
            SearchQueryStat.objects.filter(pk=stat.pk).update(searches=F("searches") + 1, result_count=result_count)


def top_queries(*, days: int, limit: int = 50) -> list[dict]:
    """The most frequent queries of the last ``days`` days: query, searches, last result count."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    return list(
        SearchQueryStat.objects.filter(day__gte=since)
        .values("query")
        .annotate(total=Sum("searches"))
        .order_by("-total", "query")[:limit]
    )


def zero_result_queries(*, days: int, limit: int = 50) -> list[dict]:
    """Queries of the last ``days`` days whose searches found nothing (content gaps)."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    return list(
        SearchQueryStat.objects.filter(day__gte=since, result_count=0)
        .values("query")
        .annotate(total=Sum("searches"))
        .order_by("-total", "query")[:limit]
    )


class Synonym(models.Model):
    """One entry of "Synonyme und Abkürzungen": terms a search treats as the same
    ("OWiG, Ordnungswidrigkeitengesetz"). Used at query time by :mod:`search.synonyms`."""

    terms = models.CharField(
        _("terms"),
        max_length=500,
        help_text=_(
            "Terms that mean the same, separated by commas, e.g. “OWiG, Ordnungswidrigkeitengesetz” or "
            "“Kita, Kindertagesstätte”. A search for one of them also finds the others. Upper and lower "
            "case, umlauts and ß do not matter. Changes apply from the next search; the search index "
            "does not need to be rebuilt."
        ),
    )

    class Meta:
        verbose_name = _("synonym entry")
        verbose_name_plural = _("synonyms and abbreviations")
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def clean(self):
        if not (self.terms or "").strip():
            return  # the field itself says it is required
        others = Synonym.objects.all() if self.pk is None else Synonym.objects.exclude(pk=self.pk)
        try:
            self.terms = clean_terms(self.terms, others=others.values_list("terms", flat=True))
        except ValidationError as exc:
            raise ValidationError({"terms": exc.error_list}) from exc
