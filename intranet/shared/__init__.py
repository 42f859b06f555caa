"""The one part of the project the apps may import: small modules that import nothing of the
project or of any app (only Django, django-ninja and the standard library), so an app that uses
them does not depend on the project. `.importlinter` checks both directions: the apps import no
other `intranet` module, and nothing here imports the project or an app.

* `api`: the error shape every /api/v1 answer uses, `ApiError`, `with_errors`, `require_write`
  (each app's router, and `people.middleware` for its JSON 401/403);
* `validators`: text a database can store (`check_storable`, `is_storable`)."""
