"""The read path's one gate: which objects a caller sees, and what of their free text.

``access.policy.readable_scope`` decides where a caller reads, ``personal_scope`` where
it reads personal data; this module applies both to the objects the store hands out:

- ``targets_of(model)``: where an object sits (its places and units), one entry per
  model type in ``TARGETS``; the division tree (``access.shared.SHARED_MODELS``) sits
  nowhere and is read by every caller;
- ``Reader.admit`` (used by every DataLoader and every list, see ``resolvers.batch``
  and ``resolvers.paging``): an object outside the read scope becomes None, exactly as
  a missing one; an object outside the personal scope has the phones and ID-card
  numbers in its free text masked (``access.fields.FREE_TEXT``);
- ``Reader.params``: the same scope as Cypher parameters (``$roots`` code prefixes,
  ``$units`` unit ids, ``$personalRoots``, ``$personalUnits``) for the statements
  that filter, count and sort in the database.

A unit operator's scope depends on the graph (the communities its unit liaises
with): it is looked up once per request, on first use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from access.fields import FREE_TEXT
from access.masking import mask_personal_in_text
from access.policy import ReadScope, Target, personal_scope, readable_scope
from access.principal import AccessRole, Principal, is_place_code, is_unit_id
from access.shared import SHARED_MODELS
from domain import loop, members, models
from graph.queries import liaison as liaison_q
from graph.store import Store


def _at(*codes: str | None, units: Sequence[str | None] = ()) -> tuple[Target, ...]:
    found = [Target.at(c) for c in codes if c and is_place_code(c)]
    found += [Target(unit=u) for u in units if u and is_unit_id(u)]
    return tuple(found)


def _unit(unit_id: str, county: str | None) -> tuple[Target, ...]:
    if not is_unit_id(unit_id):
        return ()
    ok = county is not None and is_place_code(county) and county.endswith("000000")
    return (Target(unit=unit_id, unit_county=county if ok else None),)


def _person(m: Any) -> tuple[Target, ...]:
    return _at(*getattr(m, "codes", ()), units=(getattr(m, "workUnitId", None),))


def _organization(m: Any) -> tuple[Target, ...]:
    return _at(*getattr(m, "codes", ()), units=(getattr(m, "unitId", None),))


Targets = Callable[[Any], tuple[Target, ...]]

#: where each kind of object sits; an object no entry covers is refused (fail closed)
TARGETS: dict[type[Any], Targets] = {
    models.Demand: lambda m: _at(m.communityId, units=m.unitIds),
    # the closed loop: read with its demand (its community, the units it concerns)
    loop.LoopNode: lambda m: _at(m.community, units=m.readUnits),
    models.Project: lambda m: _at(m.communityId, units=(m.leadUnitId, *m.partnerUnitIds)),
    models.Resource: lambda m: _unit(m.unitId, m.unitCountyId),
    models.Unit: lambda m: _unit(m.id, m.countyId),
    models.Person: _person,
    models.Role: lambda m: _at(*m.placeCodes, units=(m.unitId,)),
    models.PartyOrganization: _organization,
    models.Agreement: lambda m: _at(m.communityId, units=(m.unitId,)),
    models.Meeting: lambda m: _at(m.placeId),
    models.Evaluation: lambda m: _at(*m.targetCodes, units=m.targetUnitIds),
    models.Alliance: lambda m: _at(m.countyId),
    # 双报到: where the member lives, and the home unit the community reports to
    members.Member: lambda m: _at(m.community, units=(m.homeUnitId,)),
    members.Wish: lambda m: _at(m.community),
    members.ServiceLog: lambda m: _at(m.community, units=(m.homeUnitId,)),
}


def targets_of(model: Any) -> tuple[Target, ...] | None:
    """Where ``model`` sits; None for what every caller reads (the division tree).

    A value that is not a model says where it sits with a ``read_targets()`` method (a
    liaison link). Raises TypeError for a model type no one declared: a new type must
    say where it sits.
    """
    if isinstance(model, SHARED_MODELS):
        return None
    own = getattr(model, "read_targets", None)
    if own is not None:
        return tuple(own())
    for kind in type(model).__mro__:
        found = TARGETS.get(kind)
        if found is not None:
            return found(model)
    raise TypeError(f"resolvers.reader.TARGETS has no entry for {type(model).__name__}")


def _is_model(value: Any) -> bool:
    return isinstance(value, models.Node) or hasattr(value, "read_targets")


class Reader:
    """The read and personal scopes of one request's caller."""

    def __init__(self, store: Store, principal: Principal, *, public_read: bool = False) -> None:
        self.store = store
        self.principal = principal
        self.public_read = public_read
        self.personal = personal_scope(principal)
        self._scope: ReadScope | None = None
        self._lookup: asyncio.Future[ReadScope] | None = None
        if principal.role is not AccessRole.UNIT_OPERATOR or public_read:
            self._scope = readable_scope(principal, public_read=public_read)

    async def scope(self) -> ReadScope:
        """The read scope (a unit operator's liaison communities looked up once)."""
        if self._scope is not None:
            return self._scope
        if self._lookup is None:
            self._lookup = asyncio.ensure_future(self._liaisons())
        self._scope = await self._lookup
        return self._scope

    async def _liaisons(self) -> ReadScope:
        rows = await self.store.run(liaison_q.COMMUNITY_CODES_OF_UNIT, id=self.principal.scope)
        codes = [str(row["code"]) for row in rows if row["code"]]
        return readable_scope(self.principal, liaisons=codes)

    async def params(self) -> dict[str, Any]:
        """The scopes as Cypher parameters: ``$roots`` (None: everything), ``$units``,
        ``$personalRoots`` and ``$personalUnits``."""
        scope = await self.scope()
        return {
            "roots": None if scope.everything else list(scope.prefixes),
            "units": list(scope.units),
            "personalRoots": list(self.personal.prefixes),
            "personalUnits": list(self.personal.units),
        }

    async def reads_place(self, code: str) -> bool:
        """Whether the caller reads what lies at a place (a community's 4+N profile)."""
        return is_place_code(code) and (await self.scope()).covers(Target.at(code))

    def reads(self, scope: ReadScope, model: Any) -> bool:
        targets = targets_of(model)
        return targets is None or scope.covers_any(targets)

    def reads_personally(self, model: Any) -> bool:
        """Whether the caller sees ``model``'s personal data (and free text) unmasked."""
        targets = targets_of(model)
        return targets is not None and self.personal.covers_any(targets)

    def masked(self, model: Any) -> Any:
        """``model`` with phones and ID-card numbers in its free text masked, unless the
        caller reads it personally."""
        kind = type(model)
        fields = _FREE_TEXT_OF.get(kind)
        if fields is None:
            fields = _FREE_TEXT_OF[kind] = FREE_TEXT.get(kind.__name__) or _free_text_of(kind)
        if not fields or self.reads_personally(model):
            return model
        update: dict[str, Any] = {}
        for name in fields:
            value = getattr(model, name, None)
            if isinstance(value, str):
                masked: Any = mask_personal_in_text(value)
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                masked = [mask_personal_in_text(v) for v in value]
            else:
                continue
            if masked != value:
                update[name] = masked
        return model.model_copy(update=update) if update else model

    def admit_known(self, value: Any) -> Any:
        """``admit`` without a look-up: None when the scope is not known yet (priming a
        loader's cache with an object the caller may not read must not happen)."""
        if self._scope is None or (_is_model(value) and not self.reads(self._scope, value)):
            return None
        return self.masked(value) if isinstance(value, models.Node) else value

    async def admit(self, value: Any) -> Any:
        """``value`` as the caller may see it: None outside the read scope; models inside
        tuples (a resource and its quantity) checked one by one; anything else as is."""
        return self.admit_in(await self.scope(), value)

    async def admit_all(self, values: Sequence[Any]) -> list[Any]:
        """``admit`` of each of ``values``, in order (the scope is awaited once)."""
        if not values:
            return []
        scope = await self.scope()
        return [self.admit_in(scope, v) for v in values]

    def admit_in(self, scope: ReadScope, value: Any) -> Any:
        """``admit`` within a known read scope (no await per object)."""
        if isinstance(value, tuple):
            parts = [self.admit_in(scope, v) for v in value]
            dropped = any(p is None and v is not None for p, v in zip(parts, value, strict=True))
            return None if dropped else tuple(parts)
        if not _is_model(value):
            return value
        if not self.reads(scope, value):
            return None
        return self.masked(value) if isinstance(value, models.Node) else value


_FREE_TEXT_OF: dict[type[Any], tuple[str, ...]] = {}


def _free_text_of(cls: type[Any]) -> tuple[str, ...]:
    for kind in cls.__mro__:
        found = FREE_TEXT.get(kind.__name__)
        if found:
            return found
    return ()
