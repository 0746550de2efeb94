"""schema.relation: a declared relation field, its arguments, its place and its key."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.printer import print_schema

from schema import relation
from schema.convert import register

CALLS: list[str] = []


@dataclass(frozen=True)
class Model:
    name: str
    even: bool


@strawberry.type
class Item:
    name: str


register(Model, lambda m: Item(name=m.name))


async def _items(ctx: Any, key: str) -> list[Model]:
    CALLS.append(key)
    return [Model(f"{key}{i}", i % 2 == 0) for i in range(4)]


async def _first(ctx: Any, key: str) -> Model | None:
    CALLS.append(key)
    return Model(key, True)


def _even(found: list[Model], even_only: bool = False) -> list[Model]:
    return [m for m in found if m.even or not even_only]


@strawberry.type
class Thing:
    id: str
    other: str | None

    @strawberry.field
    def label(self) -> str:
        return self.id.upper()

    items = relation.many("Item", _items, args=_even, description="its items")
    first = relation.one("Item", _first, on="other")

    @strawberry.field
    def last(self) -> str:
        return "z"


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [Thing(id="a", other="b"), Thing(id="c", other=None)]


SCHEMA = strawberry.Schema(query=Query)


def test_the_field_keeps_its_place_arguments_and_description() -> None:
    sdl = print_schema(SCHEMA)
    assert (
        'label: String!\n\n  """its items"""\n  items(evenOnly: Boolean! = false): [Item!]!\n'
        "  first: Item\n  last: String!"
    ) in sdl


def test_arguments_filter_and_a_missing_key_asks_nothing() -> None:
    CALLS.clear()
    query = "{ things { items(evenOnly: true) { name } first { name } } }"
    result = asyncio.run(SCHEMA.execute(query))
    assert result.errors is None, result.errors
    assert result.data == {
        "things": [
            {"items": [{"name": "a0"}, {"name": "a2"}], "first": {"name": "b"}},
            {"items": [{"name": "c0"}, {"name": "c2"}], "first": None},
        ]
    }
    assert sorted(CALLS) == ["a", "b", "c"]
