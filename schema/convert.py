"""Domain models to strawberry objects, field by field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from strawberry.types.base import get_object_definition

from domain.clock import ms_to_datetime

T = TypeVar("T")

_TIMES = {"created_at": "createdAt", "updated_at": "updatedAt"}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def from_model(cls: type[T], model: BaseModel, **extra: Any) -> T:
    """Build ``cls`` from the model fields it declares (camelCase in the model).

    Fields with a resolver are left to the resolver; ``extra`` overrides.
    """
    definition = get_object_definition(cls, strict=True)
    values = model.model_dump()
    kwargs: dict[str, Any] = {}
    for field in definition.fields:
        if field.base_resolver is not None or field.python_name in extra:
            continue
        name = field.python_name
        if name in _TIMES:
            kwargs[name] = ms_to_datetime(values[_TIMES[name]])
        elif _camel(name) in values:
            kwargs[name] = values[_camel(name)]
    kwargs.update(extra)
    return cls(**kwargs)
