import importlib
import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from search.indexing import per_object_updates_paused

# Each app brings its own demo data as `<app>.demo.load(stdout=...)`; they run in this order
# (people first: pages, posts and channels refer to departments and staff).
DEMO_MODULES = ["people.demo", "home.demo", "documents.demo", "posts.demo", "feedback.demo", "search.demo"]


class Command(BaseCommand):
    help = "Builds the demo city administration (Stadt Musterstadt) and then the search index. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Do not build the search index afterwards (then run update_index: the demo's objects are not indexed one by one as they are saved).",
        )
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when demo data is already loaded.")

    def handle(self, *args, **options):
        from people.models import User

        if options["if_empty"] and User.objects.filter(username="admin").exists():
            self.stdout.write("Demo data is already loaded.")
            return
        # Wagtail logs "Page created" / "Published" at INFO for each of the demo's pages: about
        # 110 lines that would bury the summary and the demo logins after it.
        logging.disable(logging.INFO)
        try:
            # The index is rebuilt once at the end (or by `update_index` after --no-index): a
            # commit into it per saved page, post and person would cost most of the load's time.
            with per_object_updates_paused():
                self._load()
        finally:
            logging.disable(logging.NOTSET)
        if not options["no_index"]:
            call_command("update_index", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _load(self):
        with transaction.atomic():
            for module_name in DEMO_MODULES:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                result = module.load(stdout=self.stdout)
                self.stdout.write(f"{module_name}: {result}")
