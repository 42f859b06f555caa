"""``manage.py check``: document files must not lie where a web server serves files."""

from pathlib import Path

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=False)
def check_documents_root(app_configs, **kwargs):
    documents_root = Path(settings.DOCUMENTS_ROOT).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = getattr(settings, name, None)
        if not served:
            continue
        served = Path(served).resolve()
        if documents_root == served or served in documents_root.parents:
            errors.append(
                checks.Error(
                    f"DOCUMENTS_ROOT ({documents_root}) lies in {name} ({served}).",
                    hint=f"Document files must lie outside {name}, which a web server may serve; "
                    "set DOCUMENTS_ROOT to a folder of its own (default: VAR_DIR/private-documents).",
                    id="documents.E001",
                )
            )
    return errors
