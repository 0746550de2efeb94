"""What a load knows while it checks rows: the graph's references and the rows
accepted so far, so that a row may refer to the graph or to an earlier file."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from divisions import DeclaredCommunity, DivisionIndex
from graph.queries import loading
from graph.store import Store
from loaders import unitnames
from loaders.cells import key
from loaders.people import People
from loaders.places import Places
from loaders.plan import reject
from matching.classify import Provisional


@dataclass(frozen=True)
class UnitRef:
    id: str
    name: str
    county: str
    #: its liaison communities (what 本社区 and 本街道 in its resources mean)
    communities: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class ResourceRef:
    id: str
    name: str
    unit: str


@dataclass
class LoadContext:
    store: Store
    places: Places
    units: dict[str, list[UnitRef]] = field(default_factory=dict)
    #: (county, a short form of the name: ``loaders.unitnames``) -> units
    unit_forms: dict[tuple[str, str], list[UnitRef]] = field(default_factory=dict)
    resources: dict[str, list[ResourceRef]] = field(default_factory=dict)
    #: the county of the units rows that name none, from the communities they name
    #: together (``Places.holding``), when no row's own cells and no load default say it
    units_county: str | None = None
    #: ids of demands in the graph or accepted in this load
    demands: set[str] = field(default_factory=set)
    #: relationship type -> ids at the far end of links the load wrote or removed
    touched: dict[str, set[str]] = field(default_factory=dict)
    #: County/Street/Community ids written in this load
    ensured: set[str] = field(default_factory=set)
    #: shared nodes (people, compounds) written in this load, with what was written
    written: dict[str, dict[str, Any]] = field(default_factory=dict)
    people: People = field(default_factory=People)
    #: (title, description) -> the classifier's inference, made in one batch per sheet
    inferred: dict[tuple[str, str], Provisional] = field(default_factory=dict)
    #: (name, description) -> a resource's inferred category, made in one batch per sheet
    resource_categories: dict[tuple[str, str], Provisional] = field(default_factory=dict)

    @classmethod
    async def open(
        cls,
        store: Store,
        index: DivisionIndex | None = None,
        within: str | None = None,
        county: str | None = None,
    ) -> LoadContext:
        """A context primed with the graph's counties, declared communities and units;
        ``within`` limits the load to one county's places; ``county`` is the county a
        row without a county column means (both 12-digit codes)."""
        index = index or DivisionIndex.default()
        declared = [
            DeclaredCommunity(row["name"], row["id"][:9] + "000", row["id"])
            for row in await store.run(loading.DECLARED_COMMUNITIES)
        ]
        if declared:
            index = index.with_declared(declared)
        counties = {row["id"] for row in await store.run(loading.COUNTIES)}
        ctx = cls(store, Places(index, counties, within, county))
        for row in await store.run(loading.UNITS):
            ref = UnitRef(row["id"], row["name"] or "", row["countyId"] or "")
            ctx.add_unit(ref, tuple(sorted(row["communities"] or ())))
        return ctx

    # -- units ---------------------------------------------------------------------

    def add_unit(self, unit: UnitRef, communities: tuple[str, ...] | None = None) -> None:
        """Make a unit known (again: its liaison communities are replaced)."""
        if communities is not None:
            unit = UnitRef(unit.id, unit.name, unit.county, communities)
        for found in (
            self.units.setdefault(key(unit.name), []),
            *(self.unit_forms.setdefault((unit.county, form), []) for form in self._forms(unit)),
        ):
            if unit in found:
                found[found.index(unit)] = unit
            else:
                found.append(unit)

    def _forms(self, unit: UnitRef) -> frozenset[str]:
        county = self.places.index.by_code(unit.county) if unit.county else None
        return unitnames.keys(unit.name, county.name) if county else frozenset()

    def _by_form(self, name: str, counties: list[str]) -> list[UnitRef]:
        """Units of these counties whose name shortens as ``name`` does (区住建局)."""
        found: dict[str, UnitRef] = {}
        for county in counties:
            place = self.places.index.by_code(county)
            if place is None:
                continue
            for form in unitnames.keys(name, place.name):
                for unit in self.unit_forms.get((county, form), ()):
                    found.setdefault(unit.id, unit)
        return list(found.values())

    def unit(
        self, name: str, column: str, *, county: str | None = None, prefer: str | None = None
    ) -> UnitRef:
        """The unit of this name, or a rejection saying why. ``county``: it must be in that
        county (the row says so); ``prefer``: that county's unit when several have the name."""
        found = self.units.get(key(name), [])
        if county is not None:
            found = [u for u in found if u.county == county]
        elif prefer is not None:
            found = [u for u in found if u.county == prefer] or found
        if not found:
            counties = [county] if county else [prefer] if prefer else sorted(
                {c for c, _ in self.unit_forms}
            )  # fmt: skip
            found = self._by_form(name, [c for c in counties if c])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise reject(
                column,
                f"单位“{name}”可指多个单位：{'、'.join(sorted(u.name for u in found)[:5])}；"
                "请写全称或用所属县（区）区分",
                "AMBIGUOUS_UNIT",
                name,
            )
        if county is not None and self.units.get(key(name)):
            where = self.places.index.by_code(county)
            raise reject(
                column,
                f"单位“{name}”不是{where.name if where else county}的单位：请核对所属县（区）",
                "UNKNOWN_UNIT",
                name,
            )
        names = sorted({u.name for refs in self.units.values() for u in refs})
        near = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"；最接近的有：{'、'.join(near)}" if near else ""
        raise reject(
            column,
            f"单位“{name}”既不在图中也不在本次导入的联系单位名册里：请先在联系单位名册中登记{hint}",
            "UNKNOWN_UNIT",
            name,
        )

    def unit_in_text(self, text: str, county: str) -> UnitRef | None:
        """The unit whose name the text contains (the longest), within a county."""
        best: UnitRef | None = None
        compact = key(text)
        for refs in self.units.values():
            for unit in refs:
                if unit.county != county:
                    continue
                name = key(unit.name)
                short = name.removeprefix("中共")
                if (name in compact or short in compact) and (
                    best is None or len(unit.name) > len(best.name)
                ):
                    best = unit
        return best

    # -- resources -----------------------------------------------------------------

    def add_resource(self, resource: ResourceRef) -> None:
        found = self.resources.setdefault(key(resource.name), [])
        if resource not in found:
            found.append(resource)

    async def fetch_resources(self, names: set[str]) -> None:
        wanted = sorted(names)
        for start in range(0, len(wanted), 1000):
            rows = await self.store.run(
                loading.RESOURCES_BY_NAME, names=wanted[start : start + 1000]
            )
            for row in rows:
                self.add_resource(ResourceRef(row["id"], row["name"], row["unitId"]))

    async def fetch_demands(self, ids: set[str]) -> None:
        wanted = sorted(ids - self.demands)
        for start in range(0, len(wanted), 1000):
            rows = await self.store.run(loading.EXISTING_DEMANDS, ids=wanted[start : start + 1000])
            self.demands.update(row["id"] for row in rows)
