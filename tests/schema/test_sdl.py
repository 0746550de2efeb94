"""The committed SDL is the schema the code builds."""

from __future__ import annotations

from pathlib import Path

from strawberry.printer import print_schema

from schema.build import build_schema

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_committed_sdl_is_current() -> None:
    printed = print_schema(build_schema()) + "\n"
    assert SDL.exists(), "run: python -m schema.export"
    assert SDL.read_text(encoding="utf-8") == printed, (
        "stale schema/schema.graphql: run python -m schema.export"
    )
