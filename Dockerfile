# Wissensnetz as a container image: gunicorn with production settings, as a non-root user.
#
#   docker build -t wissensnetz .            (or: podman build -t wissensnetz . / make image)
#   docker compose up -d                     (compose.yaml: the scaled shape; docs/deploy.md)
#
# The install steps are scripts/install.sh's, the same the Makefile runs (deps from the hashed lock,
# compiled messages, collected static files); tests/deploy/test_container.py keeps them in step.
# BASE: any Debian-based image with Python 3.11 and `python3 -m venv` (docs/deploy.md, "Container
# image": e.g. a local Debian 12 root file system where no registry is reachable).
ARG BASE=docker.io/library/python:3.11-slim-bookworm

# --- build: the virtualenv, compiled messages and static files ---------------------------------
FROM ${BASE} AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt ./
COPY scripts/install.sh scripts/
# Behind a proxy that re-signs TLS, or with a local mirror: hand pip the certificate authority as
# a build secret (never stored in a layer) and the index as build arguments (pip reads them from
# the environment), e.g.
#   docker build --secret id=pip-ca,src=/etc/ssl/certs/ca-certificates.crt \
#     --build-arg PIP_INDEX_URL=https://pypi.intern/simple -t wissensnetz .
# The hashes in the lock still have to match, whichever index serves the files.
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_FIND_LINKS
RUN --mount=type=secret,id=pip-ca,required=false \
    if [ -s /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi \
    && python3 -m venv /opt/venv \
    && scripts/install.sh deps /opt/venv/bin/python requirements.txt
COPY . .
ENV STATIC_ROOT=/app/static
RUN scripts/install.sh messages /opt/venv/bin/python \
    && scripts/install.sh static /opt/venv/bin/python \
    && chmod -R a+rX /app/static \
    && find /app -name __pycache__ -prune -exec rm -rf {} +

# --- runtime ------------------------------------------------------------------------------------
FROM ${BASE}
RUN groupadd --system --gid 10001 wissensnetz \
    && useradd --system --uid 10001 --gid wissensnetz --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin wissensnetz \
    && mkdir -p /var/lib/wissensnetz/media /var/lib/wissensnetz/private-documents /var/lib/wissensnetz/static \
    && chown -R wissensnetz:wissensnetz /var/lib/wissensnetz \
    && chmod 0750 /var/lib/wissensnetz /var/lib/wissensnetz/private-documents
COPY --from=build /opt/venv /opt/venv
# Code, compiled messages and static files belong to root: the application cannot change itself.
# (The static files are made world-readable above: FILE_UPLOAD_PERMISSIONS=0640 applies to
# collectstatic too, and gunicorn runs as wissensnetz, not root.)
COPY --from=build /app /app
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=intranet.settings.production \
    VAR_DIR=/var/lib/wissensnetz \
    STATIC_ROOT=/app/static \
    WEB_CONCURRENCY=4
# The SQLite database, the Whoosh index, media and document files (embedded shape; in the
# scaled shape media and documents). Back it up (docs/deploy.md, "Backup and restore").
VOLUME ["/var/lib/wissensnetz"]
USER wissensnetz:wissensnetz
EXPOSE 8000
# /healthz: database and search index (deploy/healthcheck.py sends a Host from ALLOWED_HOSTS).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]
# Workers: WEB_CONCURRENCY (gunicorn reads it), 2 x cores is a good start.
CMD ["gunicorn", "intranet.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--timeout", "60"]
