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

    pages = relation.paged("Item", _items, description="its items, a page at a time")


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [Thing(id="a", other="b"), Thing(id="c", other=None)]


SCHEMA = strawberry.Schema(query=Query)


@dataclass(frozen=True)
class Ctx:
    max_page_size: int = 3


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


PAGES = """query($first: Int, $after: String) { things { pages(first: $first, after: $after) {
  totalCount nodes { name } pageInfo { hasNextPage hasPreviousPage endCursor } } } }"""


def test_a_paged_relation_is_a_connection_of_the_list_read_once() -> None:
    sdl = print_schema(SCHEMA)
    assert "pages(first: Int = 20, after: String = null): ItemConnection!" in sdl
    CALLS.clear()
    result = asyncio.run(SCHEMA.execute(PAGES, {"first": 3}, context_value=Ctx()))
    assert result.errors is None, result.errors
    assert result.data is not None
    first = result.data["things"][0]["pages"]
    assert first["totalCount"] == 4
    assert [n["name"] for n in first["nodes"]] == ["a0", "a1", "a2"]
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    assert sorted(CALLS) == ["a", "c"]  # one load per parent, not per page
    after = first["pageInfo"]["endCursor"]
    rest = asyncio.run(SCHEMA.execute(PAGES, {"first": 3, "after": after}, context_value=Ctx()))
    assert rest.data is not None
    second = rest.data["things"][0]["pages"]
    assert [n["name"] for n in second["nodes"]] == ["a3"]
    assert (second["totalCount"], second["pageInfo"]["hasNextPage"]) == (4, False)
    assert second["pageInfo"]["hasPreviousPage"]


def test_a_paged_relation_refuses_a_page_past_the_maximum_before_loading() -> None:
    CALLS.clear()
    result = asyncio.run(SCHEMA.execute(PAGES, {"first": 4}, context_value=Ctx()))
    assert result.errors and "at most 3" in result.errors[0].message
    assert CALLS == []
