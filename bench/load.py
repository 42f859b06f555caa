"""A small closed-loop HTTP load generator (threads + http.client, keep-alive where the server
allows it). Run as its own process so it does not share a GIL with anything else:

    python bench/load.py --url http://127.0.0.1:8765/beitraege/ --connections 8 --duration 10 \
        --header "Cookie: sessionid=..." [--post-form 'channel=1&text=...'] [--url ANOTHER ...]

Prints one JSON object: requests, errors, requests/s, p50/p95/p99 latency in milliseconds.
Each connection sends its next request as soon as the previous answer is read (like wrk)."""

import argparse
import http.client
import json
import threading
import time
import urllib.parse


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def worker(args, headers, stop_at, warm_until, latencies, errors, statuses, lock, number):
    urls = [urllib.parse.urlsplit(url) for url in args.url]
    paths = [url.path + (f"?{url.query}" if url.query else "") for url in urls]
    connection = http.client.HTTPConnection(urls[0].hostname, urls[0].port or 80, timeout=30)
    mine, my_errors, sent = [], 0, 0
    # Several URLs: each connection takes them in turn, starting at its own share of the list (so
    # that with a long list of different queries no two connections ask the same one together).
    first = number * len(paths) // args.connections
    while True:
        started = time.perf_counter()
        if started >= stop_at:
            break
        path = paths[(first + sent) % len(paths)]
        try:
            sent += 1
            if args.post_form is not None:
                body = args.post_form.replace("{n}", f"{number}-{sent}").encode()
                connection.request(
                    "POST",
                    path,
                    body=body,
                    headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
                )
            else:
                connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.will_close:
                connection.close()
        except (OSError, http.client.HTTPException):
            connection.close()
            status = 0
        elapsed = time.perf_counter() - started
        if started >= warm_until:
            mine.append(elapsed)
            if status not in args.ok:
                my_errors += 1
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
    connection.close()
    with lock:
        latencies.extend(mine)
        errors[0] += my_errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--url", required=True, action="append", help="repeat for several URLs (same host), taken in turn"
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--post-form", default=None, help="urlencoded body; {n} becomes a unique number")
    parser.add_argument("--ok", type=int, action="append", default=None, help="status codes that count as success")
    args = parser.parse_args()
    args.ok = set(args.ok or [200])
    headers = dict(h.split(": ", 1) for h in args.header)
    latencies, errors, statuses, lock = [], [0], {}, threading.Lock()
    now = time.perf_counter()
    warm_until, stop_at = now + args.warmup, now + args.warmup + args.duration
    threads = [
        threading.Thread(target=worker, args=(args, headers, stop_at, warm_until, latencies, errors, statuses, lock, n))
        for n in range(args.connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        json.dumps(
            {
                "url": args.url[0] if len(args.url) == 1 else args.url,
                "method": "POST" if args.post_form is not None else "GET",
                "connections": args.connections,
                "duration_s": args.duration,
                "requests": len(latencies),
                "errors": errors[0],
                "error_statuses": statuses,
                "rps": round(len(latencies) / args.duration, 1),
                "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
                "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
                "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
