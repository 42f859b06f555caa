"""The site behind the documented nginx (deploy/nginx.conf) with production settings: images and
their renditions come straight from MEDIA_ROOT, a document's file is reachable by no address but
the permission-checked /dokumente/ view.

The test runs collectstatic, gunicorn (intranet.settings.production) and Debian's nginx as the
operator does (docs/deploy.md), on the test's own database (tests.servers.shared_database),
with nginx reading deploy/nginx.conf itself: only the values marked "site:" in it (ports,
gunicorn's address, MEDIA_ROOT, the certificate) are replaced, and a few lines around it stand
in for Debian's /etc/nginx/nginx.conf (its http block, with temporary folders of the test's own).
"""

from __future__ import annotations

import contextlib
import datetime
import http.client
import io
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from tests.conftest import make_user, sign_in
from tests.servers import shared_database

ROOT = Path(django_settings.BASE_DIR)
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
#: Every wait is bounded, far above what a loaded 2-core machine needs.
START_TIMEOUT = 90
REQUEST_TIMEOUT = 60
MINUTES = b"Vertraulich: Abmahnung von Frau K., nur fuer den Personalrat."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def png_bytes() -> bytes:
    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("RGB", (120, 80), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "intranet.crt", folder / "intranet.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def render_site_conf(values: dict[str, str]) -> str:
    """deploy/nginx.conf with the operator's values replaced: each must be in the file (so the
    test breaks, instead of testing something else, when the file changes), and no example
    value of the site may be left."""
    text = NGINX_CONF.read_text()
    for example, value in values.items():
        assert example in text, f"deploy/nginx.conf no longer contains {example!r}: update this test with it"
        text = text.replace(example, value)
    for leftover in ("web:8000", "/srv/wissensnetz", "/etc/ssl/", "listen 80;", "listen 443"):
        assert leftover not in text, f"deploy/nginx.conf has a site value the test does not replace: {leftover!r}"
    return text


def log_tail(path: Path) -> str:
    return path.read_text(errors="replace")[-4000:] if path.exists() else ""


@contextlib.contextmanager
def running(command: list[str], *, env: dict, log: Path, ready, what: str, stop: int, pass_fds=()):
    """Starts ``command``, waits until ``ready()`` is true, stops it with ``stop`` afterwards."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, pass_fds=pass_fds)
    try:
        until = time.monotonic() + START_TIMEOUT
        while not ready():
            assert process.poll() is None, f"{what} exited with {process.returncode}:\n{log_tail(log)}"
            assert time.monotonic() < until, f"{what} did not answer within {START_TIMEOUT} s:\n{log_tail(log)}"
            time.sleep(0.2)
        yield process
    finally:
        process.send_signal(stop)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def answers(port: int, *, tls: bool) -> bool:
    try:
        request("127.0.0.1", port, "/healthz", tls=tls)
    except OSError:
        return False
    return True


def request(host: str, port: int, path: str, *, tls: bool = True, cookie: str = "") -> tuple[int, dict, bytes]:
    """One GET with ``path`` sent exactly as given (no client-side clean-up of "..", "%2e")."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
        connection = http.client.HTTPSConnection(host, port, timeout=REQUEST_TIMEOUT, context=context)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def production_site(*, database_url: str, var_dir: Path, secret_key: str):
    """collectstatic, gunicorn and nginx as docs/deploy.md sets them up. Yields ``get(path,
    cookie=, tls=)`` (HTTPS, or the plain HTTP port) and a function returning the servers' logs."""
    cert, key = self_signed_certificate(var_dir)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "intranet.settings.production",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "DOCUMENTS_ROOT": str(django_settings.DOCUMENTS_ROOT),
        "STATIC_ROOT": str(var_dir / "static"),
        "SEARCH_INDEX_DIR": str(var_dir / "search-index"),
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
    }
    for step in (["collectstatic", "--noinput", "-v0"], ["createcachetable"]):
        subprocess.run([sys.executable, "manage.py", *step], cwd=ROOT, env=env, check=True, timeout=300)

    listener = socket.socket()  # gunicorn's, handed over open: no other process can take the port
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    gunicorn_port = listener.getsockname()[1]
    try:
        https_port, http_port = free_port(), free_port()
        nginx_dir = var_dir / "nginx"
        nginx_dir.mkdir()
        (nginx_dir / "wissensnetz.conf").write_text(
            render_site_conf(
                {
                    "server web:8000;": f"server 127.0.0.1:{gunicorn_port};",
                    "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
                    "listen 80;": f"listen 127.0.0.1:{http_port};",
                    "/srv/wissensnetz/media/": f"{Path(django_settings.MEDIA_ROOT).resolve()}/",
                    "/etc/ssl/wissensnetz/intranet.crt": str(cert),
                    "/etc/ssl/wissensnetz/intranet.key": str(key),
                }
            )
        )
        temp = {name: nginx_dir / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
        # What Debian's /etc/nginx/nginx.conf around the site's file does; run as root (CI), the
        # workers keep root's rights to read the test's private temporary folders.
        (nginx_dir / "nginx.conf").write_text(
            ("user root root;\n" if os.geteuid() == 0 else "")
            + f"worker_processes 1;\npid {nginx_dir}/nginx.pid;\nerror_log stderr warn;\n"
            + "events { worker_connections 64; }\n"
            + "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            + f"    access_log {nginx_dir}/access.log;\n"
            + "".join(f"    {name}_temp_path {path};\n" for name, path in temp.items())
            + f"    include {nginx_dir}/wissensnetz.conf;\n}}\n"
        )
        check = subprocess.run(
            [NGINX, "-t", "-q", "-e", "stderr", "-p", str(nginx_dir), "-c", str(nginx_dir / "nginx.conf")],
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, f"nginx -t refused deploy/nginx.conf:\n{check.stderr}"

        gunicorn = [sys.executable, "-m", "gunicorn", "intranet.wsgi:application", "--workers", "2"]
        gunicorn += ["-b", f"fd://{listener.fileno()}", "--timeout", "60", "--no-control-socket"]
        gunicorn_log, nginx_log = var_dir / "gunicorn.log", var_dir / "nginx.log"
        nginx = [NGINX, "-e", "stderr", "-p", str(nginx_dir), "-c", str(nginx_dir / "nginx.conf"), "-g", "daemon off;"]
        with (
            running(
                gunicorn,
                env=env,
                log=gunicorn_log,
                ready=lambda: answers(gunicorn_port, tls=False),
                what="gunicorn",
                stop=signal.SIGINT,
                pass_fds=(listener.fileno(),),
            ),
            running(
                nginx,
                env=env,
                log=nginx_log,
                ready=lambda: answers(https_port, tls=True),
                what="nginx",
                stop=signal.SIGTERM,
            ),
        ):

            def get(path, *, cookie="", tls=True):
                return request("127.0.0.1", https_port if tls else http_port, path, tls=tls, cookie=cookie)

            yield get, lambda: f"gunicorn:\n{log_tail(gunicorn_log)}\nnginx:\n{log_tail(nginx_log)}"
    finally:
        listener.close()


@pytest.fixture
def nginx_binary():
    if not os.path.exists(NGINX):
        if os.environ.get("CI"):
            pytest.fail("nginx is missing, but CI must run this test: make nginx-deps")
        pytest.skip("nginx is not installed (make nginx-deps: apt-get install nginx-light)")
    return NGINX


def session_cookie(user) -> str:
    client = Client()
    sign_in(client, user)
    return f"sessionid={client.cookies['sessionid'].value}"


@pytest.mark.django_db(transaction=True)
def test_behind_nginx_images_are_served_and_documents_only_through_the_checked_view(nginx_binary, settings, tmp_path):
    settings.SECRET_KEY = secrets.token_urlsafe(64)  # the server's: it signs the test's sessions
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DOCUMENTS_ROOT = str(tmp_path / "private-documents")
    var_dir = tmp_path / "var"
    var_dir.mkdir()

    with shared_database() as database_url:
        # An earlier transactional test's flush may have taken the migrations' root collection.
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        image = get_image_model().objects.create(
            title="Stadtplan", file=ImageFile(io.BytesIO(png_bytes()), name="stadtplan.png")
        )
        rendition = image.get_rendition("width-60")

        collection = root.add_child(name="Personalrat")
        council = Group.objects.create(name="Personalrat")
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.add(council)
        member, outsider = make_user("claudia.werner"), make_user("otto.aussen")
        member.groups.add(council)
        document = get_document_model().objects.create(
            title="Protokoll", file=ContentFile(MINUTES, name="protokoll.txt"), collection=collection
        )
        name = document.file.name  # documents/protokoll.txt, in DOCUMENTS_ROOT
        # What an old version left in MEDIA_ROOT (before manage.py move_document_files) and a post
        # attachment (sent by /beitraege/<id>/anhang/ after its check): nginx must not serve them.
        media = Path(settings.MEDIA_ROOT)
        (media / "documents").mkdir(parents=True)
        (media / name).write_bytes(MINUTES)
        (media / "posts" / "2026" / "12").mkdir(parents=True)
        (media / "posts" / "2026" / "12" / "0f3a9c.txt").write_bytes(MINUTES)
        member_cookie, outsider_cookie = session_cookie(member), session_cookie(outsider)

        with production_site(database_url=database_url, var_dir=var_dir, secret_key=settings.SECRET_KEY) as (
            get,
            server_logs,
        ):
            # Images and their renditions: straight from MEDIA_ROOT, for anybody with the address.
            for url in (rendition.url, image.file.url):
                status, headers, body = get(url)
                assert (status, headers.get("content-type")) == (200, "image/png"), (url, status, server_logs())
                assert body.startswith(b"\x89PNG\r\n\x1a\n")
                assert headers.get("x-content-type-options") == "nosniff"
            assert rendition.url.startswith("/media/images/") and image.file.url.startswith("/media/original_images/")
            assert get(rendition.url, tls=False)[0] == 301  # plain HTTP only redirects to HTTPS

            # Static files: whitenoise in gunicorn, through the proxy.
            status, _, page = get("/konto/login/")
            assert status == 200, server_logs()
            stylesheet = re.search(rb'<link[^>]+href="(/static/[^"]+\.css)"', page).group(1).decode()
            status, headers, _ = get(stylesheet)
            assert (status, headers.get("content-type", "").split(";")[0]) == (200, "text/css")

            # The document: only the checked view sends it, and only to who may see the collection.
            status, _, body = get(document.url, cookie=member_cookie)
            assert (status, body) == (200, MINUTES), server_logs()
            status, headers, body = get(document.url, cookie=outsider_cookie)
            assert MINUTES not in body
            # Wagtail's answer to a signed-in person outside the group: the sign-in page
            assert (status, headers.get("location", "").split("?")[0]) == (302, "/konto/login/"), (status, headers)
            status, headers, body = get(document.url)
            assert status == 302 and headers["location"].startswith("/konto/login/")

            # No address under /media/ (or beside it) reaches a document's file, however guessed,
            # not even for the member who may read it.
            guesses = [
                f"/media/{name}",
                "/media/posts/2026/12/0f3a9c.txt",
                f"/media/images/../{name}",
                f"/media/images/%2e%2e/{name}",
                f"/media/images/..%2f{name.replace('/', '%2f')}",
                f"/media/images/{name}",
                f"/media/original_images/{name.split('/')[-1]}",
                f"/media/../private-documents/{name}",
                f"/media/images/../../private-documents/{name}",
                f"/private-documents/{name}",
                f"/media/{Path(settings.DOCUMENTS_ROOT).name}/{name}",
                "/media/",
                "/media/documents/",
            ]
            for guess in guesses:
                for cookie in (member_cookie, ""):
                    status, headers, body = get(guess, cookie=cookie)
                    assert MINUTES not in body, guess
                    if cookie:
                        assert status in (400, 403, 404), (guess, status, headers)
                    else:  # Django sends strangers to the sign-in; nginx answers 404 itself
                        assert status in (400, 403, 404) or headers["location"].startswith("/konto/login/"), guess
