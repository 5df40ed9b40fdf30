#!/usr/bin/env python3
"""Classify a built site's output, so that arshif's and Hugo's work can be compared.

Usage:
    bench/count_pages.py PUBLIC_DIR [--json]
    bench/count_pages.py --table ARSHIF_PUBLIC HUGO_PUBLIC    (Markdown table)

HTML pages are `.../index.html` (plus 404.html); a pager is `.../page/N/index.html`.
Both URL layouts are understood:

  kind              arshif                         Hugo (bench/hugo-site)
  article           /2023/09/19/<slug>/            /2023/article-<n>/
  home, home_pager  /, /page/N/                    /, /page/N/
  year, year_pager  /2023/, /2023/page/N/          /2023/, /2023/page/N/
  month, _pager     /2023/09/, /2023/09/page/N/    /months/2023-09/, .../page/N/
  day, day_pager    /2023/09/19/, .../page/N/      (none)
  archive           /archive/ (all years, months)  /months/ (the month taxonomy's list)
  <tax>_list        /tags/ /authors/ /sources/
  <tax>_term        /tags/<term>/
  <tax>_pager       /tags/<term>/page/N/
  404               /404.html
  redirect          any HTML whose first 4 KiB hold http-equiv="refresh"
                    (Hugo writes one at every .../page/1/ and for aliases)
  term_feed         /tags/<term>/atom.xml (arshif: one Atom feed per term)

The site feed's entries and the sitemap's <loc> entries are counted too.
"""
import json
import os
import re
import sys
from collections import Counter

TAXES = ("tags", "authors", "sources")
YEAR = re.compile(r"^\d{4}$")
TWO = re.compile(r"^\d{2}$")
YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")
ENTRY = re.compile(rb"<entry[\s>]")
LOC = re.compile(rb"<loc>")

# Order of the rows in the table.
KINDS = [
    "article", "home", "home_pager", "year", "year_pager", "month", "month_pager",
    "day", "day_pager", "archive",
    "tags_list", "tags_term", "tags_pager",
    "authors_list", "authors_term", "authors_pager",
    "sources_list", "sources_term", "sources_pager",
    "404", "other_html",
]


def classify(rel):
    """Kind of the HTML page at `rel` (a path relative to the output root)."""
    parts = rel.split("/")
    if rel == "404.html":
        return "404"
    if parts[-1] != "index.html":
        return "other_html"
    d = parts[:-1]
    pager = len(d) >= 2 and d[-2] == "page" and d[-1].isdigit()
    base = d[:-2] if pager else d
    suffix = "_pager" if pager else ""
    if not base:
        return "home" + suffix
    if YEAR.match(base[0]):
        if len(base) == 1:
            return "year" + suffix
        if len(base) == 2 and TWO.match(base[1]):
            return "month" + suffix
        if len(base) == 2 and not pager:
            return "article"  # Hugo: /<year>/article-<n>/
        if len(base) == 3 and TWO.match(base[1]) and TWO.match(base[2]):
            return "day" + suffix
        if len(base) == 4 and not pager:
            return "article"  # arshif: /<year>/<mm>/<dd>/<slug>/
        return "other_html"
    if base == ["archive"] and not pager:
        return "archive"
    if base[0] == "months":  # Hugo's month taxonomy
        if len(base) == 1 and not pager:
            return "archive"
        if len(base) == 2 and YEAR_MONTH.match(base[1]):
            return "month" + suffix
        return "other_html"
    if base[0] in TAXES:
        if len(base) == 1 and not pager:
            return base[0] + "_list"
        if len(base) == 2:
            return base[0] + ("_pager" if pager else "_term")
    return "other_html"


def scan(root):
    kinds = Counter()
    files = 0
    total = 0
    for dirpath, dirnames, filenames in os.walk(root):
        for fn in filenames:
            p = os.path.join(dirpath, fn)
            rel = os.path.relpath(p, root).replace(os.sep, "/")
            files += 1
            total += os.path.getsize(p)
            if fn.endswith(".html"):
                with open(p, "rb") as f:
                    head = f.read(4096)
                if b'http-equiv="refresh"' in head or b"http-equiv=refresh" in head:
                    kinds["redirect"] += 1
                else:
                    kinds[classify(rel)] += 1
            elif fn == "atom.xml" and "/" in rel:
                kinds["term_feed"] += 1
    out = {"files": files, "bytes": total, "kinds": dict(sorted(kinds.items()))}
    out["html_pages"] = sum(v for k, v in kinds.items() if k not in ("redirect", "term_feed"))
    for name, pat in (("atom.xml", ENTRY), ("sitemap.xml", LOC)):
        p = os.path.join(root, name)
        if os.path.exists(p):
            with open(p, "rb") as f:
                out[name + " entries"] = len(pat.findall(f.read()))
    return out


def fmt(n):
    return "{:,}".format(n)


def table(a, h):
    rows = ["| output | arshif | Hugo |", "| --- | ---: | ---: |",
            "| **HTML pages** (no redirects) | **%s** | **%s** |" % (fmt(a["html_pages"]),
                                                                   fmt(h["html_pages"]))]
    for k in KINDS:
        va, vh = a["kinds"].get(k, 0), h["kinds"].get(k, 0)
        if va or vh:
            rows.append("| %s | %s | %s |" % (k, fmt(va), fmt(vh)))
    for k in ("redirect", "term_feed"):
        rows.append("| %s | %s | %s |" % (k, fmt(a["kinds"].get(k, 0)), fmt(h["kinds"].get(k, 0))))
    for k in ("atom.xml entries", "sitemap.xml entries"):
        rows.append("| %s | %s | %s |" % (k, fmt(a.get(k, 0)), fmt(h.get(k, 0))))
    rows.append("| files, total size | %s, %.0f MiB | %s, %.0f MiB |" % (
        fmt(a["files"]), a["bytes"] / 2**20, fmt(h["files"]), h["bytes"] / 2**20))
    return "\n".join(rows)


def main():
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if args[0] == "--table":
        if len(args) != 3:
            sys.exit("usage: count_pages.py --table ARSHIF_PUBLIC HUGO_PUBLIC")
        print(table(scan(args[1]), scan(args[2])))
        return 0
    res = scan(args[0])
    if "--json" in args:
        print(json.dumps(res, ensure_ascii=False))
        return 0
    print("files %d, %.1f MiB, HTML pages (no redirects) %d" % (
        res["files"], res["bytes"] / 2**20, res["html_pages"]))
    for k, v in res["kinds"].items():
        print("  %-16s %d" % (k, v))
    for k in ("atom.xml entries", "sitemap.xml entries"):
        if k in res:
            print("  %-20s %d" % (k, res[k]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
