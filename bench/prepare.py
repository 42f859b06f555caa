"""Run by bench/run.py (`manage.py shell -c`) inside the scratch environment (after generate_data): creates the
benchmark's signed-in member of staff and the baseline page, picks the pages to measure and
prints them as JSON. Not for use on a real database."""

import json
import os

from home.models import DepartmentPage, WikiPage
from people.models import Department, Profile, User
from posts.actions import general_channel

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
    Profile.objects.create(user=user, department=Department.objects.order_by("name").first(), job_title="Messung")
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

# The wiki page measured: a generated page with tags, an owner and three paragraphs.
wiki = WikiPage.objects.exclude(pk=baseline.pk).filter(tagged_items__isnull=False).order_by("pk").first()
print(
    json.dumps(
        {
            "baseline": baseline.url,
            "wiki": wiki.url if wiki else baseline.url,
            "channel": general_channel().pk,
            "email": user.email,
        }
    )
)
