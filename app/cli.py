"""The ``gongjian`` command line.

Each module in ``app.commands`` adds one command (``serve``, ``db``, ``load``,
...): ``register(subparsers)`` sets ``func``, which returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence

from app import commands
from app.logs import configure_logging, redact
from domain.errors import GongjianError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongjian",
        description="共建 gongjian: the party-building governance knowledge graph",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"app.commands.{module.name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    fmt = "json" if os.environ.get("GONGJIAN_LOG_FORMAT", "").strip().lower() == "json" else "text"
    configure_logging(logging.DEBUG if args.verbose else logging.INFO, fmt)
    try:
        code: int = args.func(args)
    except GongjianError as e:
        print(f"gongjian: [{e.code}] {redact(e.message)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
