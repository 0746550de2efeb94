"""Every String field of the printed SDL is declared public, personal or free text
(``access.fields``), and the free text of every object the read path hands out is masked
by it."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLString,
    build_schema,
    get_named_type,
)

from access.fields import FIELDS, FREE_TEXT, Kind
from domain import loop, members, models

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"
_ROOTS = {"Query", "Mutation", "Subscription"}


def _string_fields() -> dict[str, set[str]]:
    schema = build_schema(SDL.read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for name, kind in schema.type_map.items():
        if (
            name.startswith("__")
            or name in _ROOTS
            or not isinstance(kind, GraphQLObjectType | GraphQLInterfaceType)
        ):
            continue
        strings = {f for f, d in kind.fields.items() if get_named_type(d.type) is GraphQLString}
        if strings:
            found[name] = strings
    return found


def test_every_string_field_is_declared() -> None:
    found = _string_fields()
    undeclared = sorted(
        f"{t}.{f}" for t, fields in found.items() for f in fields if f not in FIELDS.get(t, {})
    )
    assert undeclared == [], "declare these in access/fields.py: " + ", ".join(undeclared)
    stale = sorted(
        f"{t}.{f}" for t, fields in FIELDS.items() for f in fields if f not in found.get(t, set())
    )
    assert stale == [], "no such String field in the SDL: " + ", ".join(stale)


def test_personal_fields_are_names_and_phones() -> None:
    personal = sorted(
        f"{t}.{f}" for t, fs in FIELDS.items() for f, k in fs.items() if k is Kind.PERSONAL
    )
    assert personal == [
        "AuditEntry.actor", "Demand.collectorName", "Member.name", "Member.phone", "Person.name",
        "Person.phone",
        "Resource.contactName", "Resource.contactPhone", "Unit.phone",
    ]  # fmt: skip


def test_the_free_text_of_each_model_is_a_field_of_the_model() -> None:
    """The reader masks a model's free text by these names: each must exist on the model
    (a type built elsewhere masks it where it is built: ``resolvers.scoped``)."""
    for name, fields in FREE_TEXT.items():
        model = (
            getattr(models, name, None) or getattr(members, name, None) or getattr(loop, name, None)
        )
        if model is None:
            assert name in {"MatchCandidate", "MatchReason", "UnmetDemand", "IdleResource",
                            "AuditEntry"}, name  # fmt: skip
            continue
        assert set(fields) <= set(model.model_fields), (name, fields)


def test_the_readme_prints_the_read_rules() -> None:
    from access.shared import read_markdown

    readme = (SDL.parents[1] / "README.md").read_text(encoding="utf-8")
    assert read_markdown() in readme
