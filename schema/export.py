"""Write the SDL to schema/schema.graphql: ``python -m schema.export``."""

from __future__ import annotations

from pathlib import Path

from strawberry.printer import print_schema

from schema.build import build_schema

SDL = Path(__file__).resolve().parent / "schema.graphql"


def main() -> None:
    SDL.write_text(print_schema(build_schema()) + "\n", encoding="utf-8")
    print(f"wrote {SDL}")


if __name__ == "__main__":
    main()
