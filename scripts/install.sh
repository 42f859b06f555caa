#!/bin/sh
# The install steps the Makefile (a developer's or CI's virtualenv) and the Dockerfile (the image)
# share, so they cannot drift apart: both call this script, and tests/deploy/test_container.py
# checks that neither installs or compiles by itself.
#
#   scripts/install.sh deps PYTHON LOCK   # the hashed lock into PYTHON's environment
#   scripts/install.sh messages PYTHON    # compiles the German translations (.po -> .mo)
#   scripts/install.sh static PYTHON      # collectstatic into STATIC_ROOT (production settings)
#
# Run from the checkout's root (the folder with manage.py).
set -eu

step=${1:?"usage: scripts/install.sh deps|messages|static PYTHON [LOCK]"}
python=${2:?"usage: scripts/install.sh $step PYTHON"}

case "$step" in
deps)
    lock=${3:?"usage: scripts/install.sh deps PYTHON requirements.txt|requirements-dev.txt"}
    # --require-hashes: exactly the locked versions, and a file whose sha256 is not in the lock
    # fails the install (docs/deploy.md, "Dependencies").
    # -qq: errors only (a pip configuration's missing extra index folders would print a warning
    # per package).
    "$python" -m pip install -qq --no-cache-dir --require-hashes -r "$lock"
    ;;
messages)
    command -v msgfmt >/dev/null || { echo "GNU gettext (msgfmt) is missing: apt-get install gettext" >&2; exit 1; }
    "$python" manage.py compilemessages --ignore=.venv --ignore=var -v0
    ;;
static)
    # collectstatic reads the settings but no secret: production settings get a throwaway key
    # that lives only as long as this command, unless the caller set one.
    SECRET_KEY=${SECRET_KEY:-$("$python" -c 'import secrets; print(secrets.token_urlsafe(64))')} \
        ALLOWED_HOSTS=${ALLOWED_HOSTS:-build.invalid} \
        DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-intranet.settings.production} \
        "$python" manage.py collectstatic --noinput -v0
    ;;
*)
    echo "scripts/install.sh: unknown step '$step' (deps, messages or static)" >&2
    exit 2
    ;;
esac
