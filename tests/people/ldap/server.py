"""A throw-away OpenLDAP server (Debian's slapd) for the directory-sync tests and the benchmark:
its own slapd.conf, database and pid file in a temporary folder, run as the caller's user on a
free loopback port, loaded with slapadd before it starts, stopped (and its folder left to the
caller) after. Debian's own slapd service is neither used nor needed (`make ldap-deps`).

The ppolicy overlay is loaded so "pwdAccountLockedTime" (OpenLDAP's disabled account) exists."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from .generate import SUFFIX

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SLAPADD = shutil.which("slapadd") or "/usr/sbin/slapadd"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "Verzeichnis-Admin-2026"
AD_SCHEMA = Path(__file__).with_name("ad.schema")

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
{extra_schemas}modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile {folder}/slapd.pid
sizelimit size.soft=unlimited size.hard=unlimited size.prtotal=unlimited

database mdb
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {folder}/data
maxsize 2147483648
index objectClass eq
index entryUUID eq
overlay ppolicy
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_certificates(folder: Path) -> Path:
    """A throw-away CA and a server certificate for 127.0.0.1 signed by it (cryptography); returns
    the CA's PEM file, which a client must be told to trust."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(common_name):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])

    now = datetime.datetime.now(datetime.UTC)
    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Test-CA Stadt Musterhausen"))
        .issuer_name(name("Test-CA Stadt Musterhausen"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server = (
        x509.CertificateBuilder()
        .subject_name(name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "server.pem").write_bytes(server.public_bytes(pem))
    (folder / "server.key").write_bytes(
        server_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return folder / "ca.pem"


class Slapd:
    """`tls=True`: also StartTLS on the ldap:// port and LDAPS on a second one (`ldaps_url`), with
    a certificate of a throw-away CA (`ca_file`). `schemas`: more schema files to include (e.g.
    AD_SCHEMA, the Active Directory attributes of the sync's "ad" preset)."""

    def __init__(self, folder: Path, ldif: str, *, tls: bool = False, schemas: tuple[Path, ...] = ()):
        self.folder = Path(folder)
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        self.conf = self.folder / "slapd.conf"
        config = CONFIG.format(
            folder=self.folder,
            suffix=SUFFIX,
            root_dn=ROOT_DN,
            root_password=ROOT_PASSWORD,
            extra_schemas="".join(f"include {Path(schema).resolve()}\n" for schema in schemas),
        )
        self.ca_file = None
        if tls:
            self.ca_file = make_certificates(self.folder)
            config = (
                f"TLSCACertificateFile {self.ca_file}\n"
                f"TLSCertificateFile {self.folder / 'server.pem'}\n"
                f"TLSCertificateKeyFile {self.folder / 'server.key'}\n"
            ) + config
        self.conf.write_text(config)
        data = self.folder / "data.ldif"
        data.write_text(ldif, encoding="utf-8")
        subprocess.run([SLAPADD, "-q", "-f", str(self.conf), "-l", str(data)], check=True, capture_output=True)
        self.port = free_port()
        self.url = f"ldap://127.0.0.1:{self.port}"
        self.ldaps_url = f"ldaps://127.0.0.1:{free_port()}" if tls else None
        self.process = None

    def start(self, timeout: float = 30) -> Slapd:
        log = open(self.folder / "slapd.log", "w")
        self.process = subprocess.Popen(
            [
                SLAPD,
                "-f",
                str(self.conf),
                "-h",
                " ".join(f"{url}/" for url in (self.url, self.ldaps_url) if url),
                "-d",
                "0",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"slapd did not start: {(self.folder / 'slapd.log').read_text()[-2000:]}"
                    ) from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def admin(self):
        """An ldap3 connection as the directory's root, for tests that change the directory."""
        import ldap3

        return ldap3.Connection(self.url, ROOT_DN, ROOT_PASSWORD, auto_bind=True, raise_exceptions=True)


def available() -> bool:
    return os.path.exists(SLAPD) and os.path.exists(SLAPADD)
