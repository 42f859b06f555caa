"""Run by bench/run.py (`manage.py shell -c`) inside the scratch environment (after generate_data): creates the
benchmark's signed-in member of staff and the baseline page, picks the pages to measure and
prints them as JSON. Not for use on a real database."""

import json
import os
import random
import re

from home.models import DepartmentPage, WikiPage
from people.models import Department, Profile, User
from posts.actions import general_channel
from posts.models import Post
from search.analysis import GERMAN_STOPWORDS

PASSWORD = os.environ["BENCH_PASSWORD"]

user = User.objects.filter(username="bench.messung").first()
if user is None:
    user = User.objects.create_user(
        username="bench.messung",
        email="bench.messung@stadt-musterstadt.de",
        password=PASSWORD,
        first_name="Bench",
        last_name="Messung",
    )
    profile = Profile.objects.get(user=user)  # create_user made it
    profile.department, profile.job_title = Department.objects.order_by("name").first(), "Messung"
    profile.save()
else:  # a reused scratch site: this run's password
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])

# The baseline: a WikiPage with one short paragraph, no tags, no owner, no links — the same page
# type and template as the wiki page measured, so the difference is what content and data cost.
section = DepartmentPage.objects.order_by("path").first()
baseline = WikiPage.objects.filter(slug="benchmark-basisseite").first()
if baseline is None:
    baseline = WikiPage(
        title="Benchmark-Basisseite", slug="benchmark-basisseite", body=[("paragraph", "<p>Eine schlichte Seite.</p>")]
    )
    section.add_child(instance=baseline)


def varied_queries(count: int = 3000) -> list[str]:
    """Up to ``count`` different search queries as staff would type them: single words (no stop
    words) and pairs of words that stand in the same post or page title, from a fixed sample of
    the corpus (the same queries for the same corpus). Words repeat across queries, as they do in
    real searches; the generated corpus has a few hundred different words."""
    rng = random.Random(8)
    last = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked = rng.sample(range(1, last + 1), min(last, 8000))
    texts = list(Post.objects.filter(pk__in=picked).values_list("text", flat=True))
    texts += list(WikiPage.objects.order_by("?").values_list("title", flat=True)[:300])
    one, two = set(), set()
    for text in texts:
        words = [word for word in re.findall(r"[^\W\d_]{4,}", text) if word.lower() not in GERMAN_STOPWORDS]
        if not words:
            continue
        one.add(rng.choice(words))
        if len(words) > 1:
            first, second = rng.sample(words, 2)
            if first.lower() != second.lower():
                two.add(f"{first} {second}")
    one, two = sorted(one), sorted(two)
    rng.shuffle(one)
    rng.shuffle(two)
    chosen = one[: count // 4] + two[: count - min(len(one), count // 4)]
    rng.shuffle(chosen)
    return chosen[:count]


# The wiki page measured: a generated page with tags, an owner and three paragraphs.
wiki = WikiPage.objects.exclude(pk=baseline.pk).filter(tagged_items__isnull=False).order_by("pk").first()
print(
    json.dumps(
        {
            "baseline": baseline.url,
            "wiki": wiki.url if wiki else baseline.url,
            "channel": general_channel().pk,
            "email": user.email,
            "varied_queries": varied_queries(),
        }
    )
)
