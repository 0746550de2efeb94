"""The planners' workbench (工作台): a web app over the public GraphQL API, built from
``workbench/`` into ``app/static/workbench`` and served here at ``/`` and its pages.

The page holds no data (everything comes from ``/graphql`` with the caller's token), so
it is served without one; a Content-Security-Policy keeps it to this server's own
scripts, styles and API::

    routes=[..., *workbench.routes()]
    AccessMiddleware(..., public_request=lambda s: ... or workbench.is_page(s))
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

BUILT = Path(__file__).resolve().parent / "static" / "workbench"

#: the app's pages: each path (and anything under it) is the same index.html
PAGES = ("login", "overview", "graph", "demands", "projects", "meeting", "gaps", "import")

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        # ECharts and cytoscape set style attributes on the elements they draw in
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-cache",
}


def _is_page_path(path: str) -> bool:
    if path == "/":
        return True
    first = path.strip("/").split("/", 1)[0]
    return first in PAGES


def is_page(scope: Any) -> bool:
    """A GET of the workbench's page (not of data): public, like GraphiQL's page."""
    return scope.get("method") in ("GET", "HEAD") and _is_page_path(str(scope.get("path", "")))


@cache
def _index() -> str | None:
    index = BUILT / "index.html"
    return index.read_text("utf-8") if index.is_file() else None


async def page(request: Request) -> Response:
    html = _index()
    if html is None:
        return PlainTextResponse(
            "工作台尚未构建：请运行 cd workbench && npm ci && npm run build "
            "(the workbench is not built: run npm ci && npm run build in workbench/)",
            status_code=503,
        )
    return HTMLResponse(html, headers=HEADERS)


def routes() -> list[Route]:
    """``/`` and every page path, with anything under it (deep links)."""
    found = [Route("/", page, methods=["GET", "HEAD"])]
    for name in PAGES:
        found.append(Route(f"/{name}", page, methods=["GET", "HEAD"]))
        found.append(Route(f"/{name}/{{rest:path}}", page, methods=["GET", "HEAD"]))
    return found
