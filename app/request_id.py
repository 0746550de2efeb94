"""Request ids and the access log.

``RequestIdMiddleware`` (outermost) takes a sane ``X-Request-ID`` from the caller
or makes one, echoes it in the response, sets it for every log line written
while the request runs (``app.logs.request_id``) and writes one access line per
request: method, path *without* its query string (a GET's variables may hold
names and phones), status and duration. uvicorn's own access log is turned off
by ``serve``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from access.middleware import ASGIApp, Message, Receive, Scope, Send
from app.logs import request_id

log = logging.getLogger("gongjian.access")

_SANE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$")
HEADER = b"x-request-id"


def sane_request_id(value: str | None) -> str:
    """The caller's id when it is short and plain, else a fresh one.

    >>> sane_request_id("abc-123"), len(sane_request_id("a b\\n"))
    ('abc-123', 32)
    """
    if value is not None and _SANE.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = None
        for key, value in scope.get("headers") or ():
            if key.lower() == HEADER:
                given = bytes(value).decode("latin-1")
                break
        rid = sane_request_id(given)
        token = request_id.set(rid)
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != HEADER]
                message = {**message, "headers": [*headers, (HEADER, rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "%s %s %d %.1f ms",
                scope.get("method", "-"),
                scope.get("path", "-"),
                status or 500,
                (time.perf_counter() - started) * 1000,
            )
            request_id.reset(token)
