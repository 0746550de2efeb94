#!/usr/bin/env python3
"""Reference rewrite of strawberry's GraphiQL page to the vendored local files.

    python tools/graphiql/rewrite_html.py [GRAPHIQL_HTML] [--prefix /static/graphiql/] [--manifest M] > page.html

GRAPHIQL_HTML defaults to the installed strawberry's strawberry/static/graphiql.html.
Every CDN URL listed in app/static/graphiql/MANIFEST.txt is replaced by PREFIX + local file.
The integrity attributes are kept: the vendored files are byte-identical (the script checks
each integrity value against the manifest and exits 1 on a mismatch or on any CDN URL left).
Stdlib only, so the server can copy the logic.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

MANIFEST = Path(__file__).resolve().parents[2] / "app/static/graphiql/MANIFEST.txt"


def read_manifest(path: Path) -> list[tuple[str, str, str]]:
    """(local file, sha384-..., cdn url) for each vendored file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        file, _pkg, sri, _path, url = line.split("\t")
        rows.append((file, sri, url))
    return rows


def rewrite(html: str, rows: list[tuple[str, str, str]], prefix: str) -> tuple[str, list[str]]:
    problems = []
    for file, sri, url in rows:
        # The tag that loads this URL must carry the same integrity value as our copy.
        tag = re.search(
            r"<(?:script|link)\b[^>]*\b(?:src|href)=\"" + re.escape(url) + r"\"[^>]*>", html
        )
        if tag is None:
            problems.append(f"not in page: {url}")
            continue
        m = re.search(r'integrity="([^"]+)"', tag.group(0))
        if m and m.group(1) != sri:
            problems.append(f"integrity differs for {url}: page {m.group(1)}, vendored {sri}")
        html = html.replace(f'"{url}"', f'"{prefix}{file}"')
    left = re.findall(r"https://unpkg\.com/[^\"']+", html)
    problems += [f"CDN URL left: {u}" for u in left]
    return html, problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", nargs="?")
    ap.add_argument("--prefix", default="/static/graphiql/")
    ap.add_argument("--manifest", default=str(MANIFEST))
    a = ap.parse_args()
    if a.html:
        source = Path(a.html)
    else:
        import strawberry  # noqa: PLC0415

        source = Path(strawberry.__file__).parent / "static/graphiql.html"
    html, problems = rewrite(
        source.read_text(encoding="utf-8"), read_manifest(Path(a.manifest)), a.prefix
    )
    for p in problems:
        print(f"rewrite_html: {p}", file=sys.stderr)
    sys.stdout.write(html)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
