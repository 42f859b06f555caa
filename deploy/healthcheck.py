"""The container's HEALTHCHECK: GET /healthz on the local gunicorn, exit 0 on 200, 1 otherwise.

Django answers only to ALLOWED_HOSTS, so the request names the first of them as its Host
(``.stadt.de`` becomes ``stadt.de``; ``*`` becomes ``localhost``). Standard library only: it runs
with the image's Python, outside Django. ``HEALTHCHECK_URL`` overrides the address."""

import os
import sys
import urllib.error
import urllib.request


def host_header(allowed_hosts: str) -> str:
    first = next((h.strip() for h in allowed_hosts.split(",") if h.strip()), "localhost")
    first = first.lstrip(".")
    return "localhost" if first in ("", "*") else first


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz")
    if not url.startswith(("http://", "https://")):
        print(f"healthz: HEALTHCHECK_URL must be an http(s) address, not {url!r}", file=sys.stderr)
        return 2
    host = host_header(os.environ.get("ALLOWED_HOSTS", ""))
    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310 (http(s) only, checked above)
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (http(s) only, checked above)
            body = response.read(2000).decode("utf-8", "replace")
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(2000).decode("utf-8", "replace"), exc.code
    except OSError as exc:
        print(f"healthz: no answer from {url}: {exc}", file=sys.stderr)
        return 1
    print(f"healthz: {status} {body}")
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
