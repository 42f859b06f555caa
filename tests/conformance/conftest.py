import os

# These modules import modelsearch's test app; they only make sense with the conformance
# settings. Under any other settings (the main run) they are not collected at all.
if os.environ.get("DJANGO_SETTINGS_MODULE") != "tests.conformance.settings":
    collect_ignore_glob = ["test_*.py"]
