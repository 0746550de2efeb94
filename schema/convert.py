"""Domain models to strawberry objects, field by field."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel
from strawberry.types.base import get_object_definition

from domain.clock import ms_to_datetime

T = TypeVar("T")

_TIMES = {"created_at": "createdAt", "updated_at": "updatedAt"}
#: the objects of one load share their times: each instant converted once (datetimes
#: are immutable)
_time = lru_cache(maxsize=4096)(ms_to_datetime)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


_Plan = tuple[tuple[str, str, bool], ...]
_PLANS: dict[type[Any], _Plan] = {}


def _plan(cls: type[Any]) -> _Plan:
    """(python name, model key, is a time) of each field of ``cls`` without a resolver:
    worked out once per class, not once per object."""
    found = _PLANS.get(cls)
    if found is None:
        definition = get_object_definition(cls, strict=True)
        found = _PLANS[cls] = tuple(
            (
                f.python_name,
                _TIMES.get(f.python_name, _camel(f.python_name)),
                f.python_name in _TIMES,
            )
            for f in definition.fields
            if f.base_resolver is None
        )
    return found


def from_model(cls: type[T], model: BaseModel, **extra: Any) -> T:
    """Build ``cls`` from the model fields it declares (camelCase in the model).

    Fields with a resolver are left to the resolver; ``extra`` overrides. The values are
    the model's own (validated once, from the row): no dump to a dict in between.
    """
    values = vars(model)
    kwargs: dict[str, Any] = {}
    for name, key, is_time in _plan(cls):
        if name in extra:
            continue
        if is_time:
            kwargs[name] = _time(values[key])
        elif key in values:
            kwargs[name] = values[key]
    kwargs.update(extra)
    return cls(**kwargs)


#: model type -> its GraphQL object (``register``); read through ``to_object``
_OBJECTS: dict[type[Any], Callable[[Any], Any]] = {}


def register(model: type[Any], to: type[Any] | Callable[[Any], Any]) -> None:
    """Name the GraphQL object of a model type: a strawberry class (``from_model``) or a
    converter. Each schema module registers its own types next to them."""
    if isinstance(to, type) and get_object_definition(to) is not None:
        cls = to
        _OBJECTS[model] = lambda m: from_model(cls, m)
    else:
        _OBJECTS[model] = to


F = TypeVar("F", bound=Callable[..., Any])


def converts(model: type[Any]) -> Callable[[F], F]:
    """``register`` as a decorator of the converter::

    @converts(models.Demand)
    def demand_object(model: models.Demand) -> Demand: ...
    """

    def mark(to: F) -> F:
        register(model, to)
        return to

    return mark


def to_object(model: Any) -> Any:
    """The GraphQL object of ``model``, by the nearest registered type of its class."""
    for kind in type(model).__mro__:
        found = _OBJECTS.get(kind)
        if found is not None:
            return found(model)
    raise TypeError(f"schema.convert.register has no entry for {type(model).__name__}")
