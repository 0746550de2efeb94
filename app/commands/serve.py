"""``gongjian serve``: the GraphQL API over HTTP (uvicorn)."""

from __future__ import annotations

import argparse
import dataclasses
import os
from pathlib import Path

from app.settings import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="serve the GraphQL API")
    parser.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 8000; 0 picks a free one)")
    parser.add_argument("--db", help="database URL (default: GONGJIAN_DB or embedded:./data)")
    parser.add_argument(
        "--demo", action="store_true", help="load the demo counties when the database is empty"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415

    from app.demo import load_demo_if_empty  # noqa: PLC0415
    from app.http import create_app  # noqa: PLC0415

    settings = Settings.from_env()
    overrides = {
        k: v
        for k, v in {"host": args.host, "port": args.port, "db": args.db}.items()
        if v is not None
    }
    settings = dataclasses.replace(settings, **overrides)
    if settings.db.startswith("embedded:"):
        # sentence vectors are computed once per text and kept beside the data
        folder = Path(settings.db.removeprefix("embedded:") or "./data")
        os.environ.setdefault("GONGJIAN_MATCHING_CACHE", str(folder / "embeddings"))
    app = create_app(settings, on_startup=load_demo_if_empty if args.demo else None)
    print(f"gongjian: GraphQL at http://{settings.host}:{settings.port}/graphql ({settings.db})")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level.lower())
    return 0
