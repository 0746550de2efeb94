"""``gongjian serve``: the GraphQL API over HTTP (uvicorn).

The port is bound before anything starts, so a port in use fails at once; and
whatever did start (the embedded database) is stopped again when the start
fails, or when uvicorn exits.
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import logging
import os
import socket
from pathlib import Path

from app.logs import configure_logging, redact_url
from app.settings import Settings
from domain.errors import ConfigError
from graph.backends.falkordb import FalkorBackend

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="serve the GraphQL API")
    parser.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 8000; 0 picks a free one)")
    parser.add_argument("--db", help="database URL (default: GONGJIAN_DB or embedded:./data)")
    parser.add_argument(
        "--demo", action="store_true", help="load the demo counties when the database is empty"
    )
    parser.set_defaults(func=run)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, or a ConfigError that says which port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are
    # TCP; without it a response written in two parts (headers, body) waited for the
    # client's delayed ACK, some 40 ms on every request of a kept-alive connection
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        why = "已被占用 (in use)" if e.errno == errno.EADDRINUSE else f"无法使用 ({e.strerror})"
        raise ConfigError(
            f"端口 {host}:{port} {why}；请用 --port 或 GONGJIAN_PORT 换一个端口 "
            f"(cannot listen on {host}:{port}; pick another port)"
        ) from e
    sock.set_inheritable(True)
    return sock


def run(args: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415

    from app.demo import load_demo_if_empty  # noqa: PLC0415
    from app.heap import settled  # noqa: PLC0415
    from app.http import create_app  # noqa: PLC0415

    settings = Settings.from_env()
    overrides = {
        k: v
        for k, v in {"host": args.host, "port": args.port, "db": args.db}.items()
        if v is not None
    }
    settings = dataclasses.replace(settings, **overrides)
    level = "DEBUG" if getattr(args, "verbose", False) else settings.log_level
    configure_logging(level, settings.log_format)
    if settings.db.startswith("embedded:"):
        # sentence vectors are computed once per text and kept beside the data
        folder = Path(settings.db.removeprefix("embedded:") or "./data")
        os.environ.setdefault("GONGJIAN_MATCHING_CACHE", str(folder / "embeddings"))
    sock = bind(settings.host, settings.port)
    port = sock.getsockname()[1]
    # the heap is frozen once started (app.heap): full collections stay short under load
    app = create_app(settings, on_startup=settled(load_demo_if_empty if args.demo else None))
    print(
        f"gongjian: GraphQL at http://{settings.host}:{port}/graphql ({redact_url(settings.db)})",
        flush=True,
    )
    config = uvicorn.Config(
        app,
        log_config=None,  # our handler, with its redacting filters (app.logs)
        log_level=level.lower(),
        access_log=False,  # app.request_id writes the access lines, without query strings
    )
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        _stop_leftovers(app.state.store)
    return 0 if server.started else 1


def _stop_leftovers(store: object) -> None:
    """The embedded database, if uvicorn left it running (a start that failed midway)."""
    backend = getattr(store, "backend", None)
    if isinstance(backend, FalkorBackend) and backend.server is not None:
        if backend.server.alive():
            log.warning("stopping the embedded database after a failed start")
        backend.server.stop()  # idempotent; releases the data folder's lock
