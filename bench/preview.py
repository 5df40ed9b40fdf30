#!/usr/bin/env python3
"""How fast `arshif serve` shows a saved article.

Starts `arshif serve` on a site, then edits one article EDITS times and
measures, for each edit:

- write → reload: from the file's write to the server's reload message
  (Server-Sent Events, what the browser waits for);
- write → served: from the write to the page being served with the edit,
  fetched as the browser does, once a reload message came;
- rebuild: what the server prints as its own rebuild time (from the file
  event to the new site being in place).

Usage: bench/preview.py ARSHIF SITE_DIR [EDITS]
(SITE_DIR as made by bench/gen_corpus.py, with a site.yaml; see
bench/README.md). Prints a Markdown table of medians and ranges.
"""

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Connection": "close"})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    arshif, site = sys.argv[1], sys.argv[2]
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    article = None
    for folder, _, files in sorted(os.walk(os.path.join(site, "content"))):
        for name in sorted(files):
            if name == "article-1.md":
                article = os.path.join(folder, name)
    if article is None:
        sys.exit("no article-1.md under SITE_DIR/content (made by bench/gen_corpus.py?)")
    original = open(article, encoding="utf-8").read()

    port = free_port()
    server = subprocess.Popen(
        [arshif, "serve", "--root", site, "--port", str(port), "--base-url", "http://127.0.0.1/"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    ready = threading.Event()

    def read_output():
        for line in server.stdout:
            lines.append((time.monotonic(), line.rstrip("\n")))
            if "127.0.0.1" in line:
                ready.set()

    threading.Thread(target=read_output, daemon=True).start()
    try:
        if not ready.wait(120):
            sys.exit("the server did not start:\n" + "\n".join(l for _, l in lines))
        # The article's URL, from the home page's links.
        page = None
        for _ in range(200):
            status, body = get(port, "/")
            found = re.search(rb'href="(/[0-9/]+article-1/)"', body)
            if found:
                page = found.group(1).decode()
                break
            time.sleep(0.05)
        if page is None:
            # Not on the home page: article-1 is old. Its day is in its file.
            date = re.search(r"^date: (\d{4})-(\d{2})-(\d{2})", original, re.M)
            page = "/%s/%s/%s/article-1/" % date.groups()

        reloads = []
        events = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        events.request("GET", "/__arshif/events")
        stream = events.getresponse()

        def listen():
            for raw in stream:
                if raw.startswith(b"data:"):
                    reloads.append(time.monotonic())

        threading.Thread(target=listen, daemon=True).start()
        time.sleep(0.5)

        results = []
        for i in range(edits):
            marker = "تعديل-%d-%d" % (os.getpid(), i)
            seen_reloads, seen_lines = len(reloads), len(lines)
            start = time.monotonic()
            with open(article, "w", encoding="utf-8") as f:
                f.write(original + "\n" + marker + "\n")
            # As the browser does: wait for a reload message, then fetch the
            # page (polling the server meanwhile would take one of the
            # machine's cores away from the rebuild).
            served = None
            waited = seen_reloads
            while served is None and time.monotonic() - start < 30:
                if len(reloads) == waited:
                    time.sleep(0.0005)
                    continue
                waited = len(reloads)
                status, body = get(port, page)
                if marker.encode() in body:
                    served = time.monotonic()
            if served is None:
                sys.exit("edit %d was not served within 30 s" % i)
            rebuilt = None
            for _, line in lines[seen_lines:]:
                took = re.search(r"in (\d+) ms", line)
                if took:
                    rebuilt = int(took.group(1))
            results.append(((reloads[seen_reloads] - start) * 1000, (served - start) * 1000, rebuilt))
            time.sleep(0.3)
    finally:
        with open(article, "w", encoding="utf-8") as f:
            f.write(original)
        server.terminate()
        server.wait()

    def show(values):
        values = [v for v in values if v is not None]
        return "%.0f ms (%.0f–%.0f)" % (statistics.median(values), min(values), max(values))

    articles = next((l for _, l in lines if l.startswith("built ")), "")
    print("| %d edits, %s | median (min–max) |" % (edits, articles.split(" (")[0] or site))
    print("| --- | --- |")
    print("| write → reload message | %s |" % show([r[0] for r in results]))
    print("| write → page served with the edit | %s |" % show([r[1] for r in results]))
    print("| rebuild, as the server reports it | %s |" % show([r[2] for r in results]))


if __name__ == "__main__":
    main()
