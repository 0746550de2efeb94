"""GraphiQL served offline: strawberry's page with its CDN URLs pointed at the
copies vendored in ``app/static/graphiql`` (see its MANIFEST.txt)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import strawberry

STATIC = Path(__file__).resolve().parent / "static"
MANIFEST = STATIC / "graphiql" / "MANIFEST.txt"
PREFIX = "/static/graphiql/"


def _manifest() -> list[tuple[str, str]]:
    """(local file, CDN URL) per vendored file."""
    rows = []
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            file, _package, _sri, _path, url = line.split("\t")
            rows.append((file, url))
    return rows


@cache
def page() -> str:
    """The GraphiQL page with every CDN URL replaced; fails loudly if one is left."""
    html = (Path(strawberry.__file__).parent / "static" / "graphiql.html").read_text("utf-8")
    for file, url in _manifest():
        if f'"{url}"' not in html:
            raise RuntimeError(f"strawberry's GraphiQL page no longer loads {url}; re-vendor")
        html = html.replace(f'"{url}"', f'"{PREFIX}{file}"')
    if "https://unpkg.com" in html:
        raise RuntimeError("strawberry's GraphiQL page loads assets not vendored here")
    return html.replace("<head>", '<head>\n    <meta charset="utf-8">', 1)
