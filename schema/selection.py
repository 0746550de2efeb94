"""What the caller selected under the current field, fragments followed.

strawberry's ``info.selected_fields`` keeps fragments as nodes of their own
(``...F`` is a FragmentSpread, ``... on T`` an InlineFragment): a test of the
direct children alone misses every field asked for through them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField


def fields_of(selections: Iterable[Any]) -> Iterator[SelectedField]:
    """The fields of a selection set, with those of its fragments (at any depth)."""
    for selection in selections:
        if isinstance(selection, FragmentSpread | InlineFragment):
            yield from fields_of(selection.selections)
        elif isinstance(selection, SelectedField):
            yield selection


def selects(info: strawberry.Info, name: str) -> bool:
    """Whether the current field's selection asks for ``name`` (directly or in a fragment).

    ``selects(info, "totalCount")`` is true for ``{ demands { totalCount } }``,
    ``{ demands { ...F } } fragment F on DemandConnection { totalCount }`` and
    ``{ demands { ... on DemandConnection { totalCount } } }``.
    """
    return any(
        f.name == name for field in info.selected_fields for f in fields_of(field.selections)
    )
