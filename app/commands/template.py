"""``gongjian template KIND [-o FILE]``: an .xlsx roster template to fill in."""

from __future__ import annotations

import argparse
from pathlib import Path

from loaders import ROSTER_KINDS, write_template
from loaders.kinds import KINDS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "template",
        help="write an .xlsx template of a roster kind",
        description="生成名册模板：表头、下拉选项和一行示例。"
        + "；".join(f"{name} {KINDS[name].title}" for name in ROSTER_KINDS),
    )
    parser.add_argument("kind", choices=ROSTER_KINDS, metavar="KIND",
                        help=f"one of {', '.join(ROSTER_KINDS)}")  # fmt: skip
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="where to write it (default: KIND.xlsx)")  # fmt: skip
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = write_template(args.kind, args.output or Path(f"{args.kind}.xlsx"))
    print(f"已生成 {KINDS[args.kind].title} 模板：{path}")
    return 0
