import os

# These modules import modelsearch's test app; they only make sense with the conformance
# settings. Under any other settings (the main run) they are not collected at all.
if os.environ.get("DJANGO_SETTINGS_MODULE") != "tests.conformance.settings":
    collect_ignore_glob = ["test_*.py"]
else:
    import pytest

    @pytest.fixture(scope="session")
    def django_db_setup(django_db_setup, django_db_blocker):
        """On PostgreSQL, the vocabulary and document tables of our PostgreSQL engine (made by the
        search app's migrations, which this suite does not install): every test class indexes into every
        configured backend, the engine included."""
        import importlib

        from django.db import connection

        if connection.vendor == "postgresql":
            with django_db_blocker.unblock(), connection.schema_editor() as editor:
                for name in ("0005_postgres_vocabulary", "0006_postgres_documents"):
                    importlib.import_module(f"search.migrations.{name}").create(None, editor)
