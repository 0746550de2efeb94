"""``DivisionIndex``: look up divisions by code and resolve names written in rosters."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from divisions._match import Entry, find, make_entry, nearest
from divisions._table import Table, load_table
from divisions.codes import Level, level_of, parent_code, to_code12
from divisions.kinds import kind_word
from divisions.model import DeclaredCommunity, Division, Resolution
from divisions.names import community_stem, compact, display_name, loose, region_stem, stem_for

__all__ = ["DATA_FILE", "DivisionIndex"]

DATA_FILE = Path(__file__).resolve().parent / "data" / "divisions-2023.tsv.gz"
"""The shipped table: 2023 statistical division codes down to residents' committees."""

_PLACEHOLDER_CITIES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
_MAX_AMBIGUOUS = 20
_PROVISIONAL_FIRST = 901  # the statistics coding rule uses 001-599 only

_default: DivisionIndex | None = None
_default_lock = threading.Lock()


class _Core:
    """The loaded table plus caches of name keys, shared by every index built on it."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._scopes: dict[tuple[str, Level], tuple[Entry, ...]] = {}
        self._national: dict[tuple[str, Level], dict[str, list[Entry]]] = {}
        #: the table's divisions as built (immutable; a dict write is atomic)
        self.divisions: dict[str, Division] = {}
        self._lock = threading.Lock()

    def scope(self, code: str, level: Level) -> tuple[Entry, ...]:
        """Name keys of the divisions at ``level`` under ``code`` ("" for the country)."""
        key = (code, level)
        cached = self._scopes.get(key)
        if cached is None:
            table = self.table
            codes = self.descendants(code, level)
            cached = tuple(make_entry(c, table.names[c], level) for c in codes)
            with self._lock:
                self._scopes[key] = cached
        return cached

    def national(self, level: Level) -> dict[str, list[Entry]]:
        """Every division at ``level`` in the table, by stem and by loose key (built once)."""
        key = ("", level)
        cached = self._national.get(key)
        if cached is None:
            cached = {}
            table = self.table
            for code in table.keys:
                if table.level(code) is not level:
                    continue
                entry = make_entry(code, table.names[code], level)
                cached.setdefault(entry.stem, []).append(entry)
                if entry.loose != entry.stem:
                    cached.setdefault(entry.loose, []).append(entry)
            with self._lock:
                self._national[key] = cached
        return cached

    def descendants(self, code: str, level: Level) -> list[str]:
        table = self.table
        frontier = [code]
        found: list[str] = []
        while frontier:
            nxt: list[str] = []
            for c in frontier:
                for child in table.children(c):
                    (found if table.level(child) is level else nxt).append(child)
            frontier = nxt
        return found


class DivisionIndex:
    """Divisions of China from the 2023 statistical code list, down to communities.

    Build it with :meth:`default` (the shipped table, loaded once per process) or
    :meth:`load`.  It is read-only: :meth:`with_declared` returns a new index.
    """

    __slots__ = ("_core", "_declared", "_declared_children")

    def __init__(self, core: _Core, declared: Mapping[str, Division] | None = None) -> None:
        self._core = core
        self._declared: dict[str, Division] = dict(declared or {})
        self._declared_children: dict[str, list[str]] = {}
        for code in sorted(self._declared):
            parent = self._declared[code].parent_code
            if parent is not None:
                self._declared_children.setdefault(parent, []).append(code)

    # -- construction -------------------------------------------------------------

    @classmethod
    def default(cls) -> DivisionIndex:
        """The shipped 2023 table, loaded on first use and shared afterwards."""
        global _default
        if _default is None:
            with _default_lock:
                if _default is None:
                    _default = cls.load(DATA_FILE)
        return _default

    @classmethod
    def load(cls, path: str | Path) -> DivisionIndex:
        """A new index from a table file in the shipped format."""
        return cls(_Core(load_table(Path(path))))

    def with_declared(self, communities: Iterable[DeclaredCommunity]) -> DivisionIndex:
        """A new index that also knows communities declared by a roster.

        Each must name an existing street.  One already known there (same code, or
        same name and no code) is skipped.  One without a code gets a provisional code,
        the first free one from 901 in its street (``Division.provisional``), assigned in
        order of street code then name, so a given roster always gets the same codes.
        Raises ``ValueError`` for an unknown street, a code outside the street, or a
        code or name that contradicts a known community.
        """
        declared = dict(self._declared)
        items = sorted(communities, key=lambda d: (to_code12(d.street_code), compact(d.name)))
        for item in items:
            street = to_code12(item.street_code)
            if self._level(street) is not Level.STREET:
                raise ValueError(f"申报社区“{item.name}”的街道代码{item.street_code}不是已知街道")
            view = DivisionIndex(self._core, declared)
            known = view.community(street, item.name)
            if item.code is None:
                if known.ok:
                    continue
                code = view._free_code(street)
                provisional = True
            else:
                code = to_code12(item.code)
                if level_of(code) is not Level.COMMUNITY or code[:9] != street[:9]:
                    raise ValueError(f"申报社区“{item.name}”的代码{item.code}不在街道{street}之下")
                existing = view.by_code(code)
                if existing is not None:
                    if community_stem(existing.name) == community_stem(item.name):
                        continue
                    raise ValueError(f"申报社区“{item.name}”的代码{code}已属于{existing.name}")
                if known.ok and known.division is not None:
                    raise ValueError(f"申报社区“{item.name}”({code})与已有的{known.division}同名")
                provisional = False
            declared[code] = Division(
                code=code,
                name=item.name.strip(),
                level=Level.COMMUNITY,
                ancestors=self._ancestors(code),
                declared=True,
                provisional=provisional,
            )
        return DivisionIndex(self._core, declared)

    # -- lookups by code ----------------------------------------------------------

    def by_code(self, code: str) -> Division | None:
        """The division with this code (any accepted form), or None if unknown."""
        full = to_code12(code)
        found = self._declared.get(full)
        if found is not None:
            return found
        built = self._core.divisions.get(full)
        if built is not None:
            return built
        name = self._core.table.names.get(full)
        if name is None:
            return None
        built = Division(full, name, self._core.table.level(full), self._ancestors(full))
        self._core.divisions[full] = built
        return built

    def children(self, code: str) -> list[Division]:
        """The divisions directly under ``code``, by code; [] for an unknown code."""
        full = to_code12(code)
        codes = list(self._core.table.children(full)) if full in self._core.table.names else []
        extra = self._declared_children.get(full)
        if extra:
            codes = sorted(codes + extra)
        return [d for d in map(self.by_code, codes) if d is not None]

    def full_name(self, code: str) -> str:
        """四川省泸州市合江县符阳街道桂圆林社区 (placeholder city names left out)."""
        division = self.by_code(code)
        if division is None:
            raise KeyError(code)
        parts: list[str] = []
        for c in (*division.ancestors, division.code):
            d = self.by_code(c)
            if d is None:
                continue
            name = display_name(d.name)
            if name not in _PLACEHOLDER_CITIES and (not parts or parts[-1] != name):
                parts.append(name)
        return "".join(parts)

    # -- name resolution ----------------------------------------------------------

    def county(self, name: str, province_or_city_hint: str | None = None) -> Resolution:
        """Resolve a county-level name (县, 区, 县级市, 旗 ...) over the whole country.

        County names are not unique (朝阳区 is in 北京 and 长春): a hint — a province or
        city name such as 四川, 泸州市, 四川省泸州市, or a code prefix such as 5105 —
        narrows the search.  Without one, a shared name gives ``status == "ambiguous"``.
        """
        entries: Sequence[Entry] = self._core.scope("", Level.COUNTY)
        scope_label = ""
        if province_or_city_hint is not None and province_or_city_hint.strip():
            hint = province_or_city_hint
            entries = [e for e in entries if self._hint_fits(e.code, hint)]
            scope_label = compact(hint)
            if not entries:
                return Resolution(
                    name,
                    Level.COUNTY,
                    "miss",
                    f"未找到省或市“{scope_label}”，无法查找县（区）“{compact(name)}”",
                )
        return self._resolve(name, Level.COUNTY, entries, scope_label, "省或市")

    def street(self, county_code: str, name: str) -> Resolution:
        """Resolve a street, town or township (街道, 镇, 乡) within a county."""
        county = self._require(county_code, (Level.COUNTY,))
        entries = self._core.scope(county.code, Level.STREET)
        return self._resolve(name, Level.STREET, entries, county.name, "")

    def community(self, parent_code: str, name: str) -> Resolution:
        """Resolve a community within a street, or within a county when the street is unknown.

        On a miss in a street, a community of that name elsewhere in the county is
        offered first among the candidates.
        """
        parent = self._require(parent_code, (Level.STREET, Level.COUNTY))
        entries = self._community_entries(parent.code)
        if parent.level is Level.STREET:
            county = self.by_code(parent.code[:6] + "000000")
            label = (county.name if county else "") + parent.name
        else:
            label = parent.name
        result = self._resolve(name, Level.COMMUNITY, entries, label, "所在街道")
        if result.status != "miss" or parent.level is not Level.STREET:
            return result
        county_code = parent.code[:6] + "000000"
        _, hits = find(name, Level.COMMUNITY, self._community_entries(county_code))
        if not hits:
            return result
        elsewhere = [self._entry_division(e) for e in hits]
        listed = "、".join(map(str, elsewhere[:5]))
        return Resolution(
            name,
            Level.COMMUNITY,
            "miss",
            f"未找到社区“{compact(name)}”（{label}）；本{self._kind_word(county_code)}其他街道有：{listed}",
            candidates=tuple(
                (elsewhere + [c for c in result.candidates if c not in elsewhere])[:5]
            ),
        )

    def anywhere(self, street: str | None, community: str) -> list[Division]:
        """The communities of this name in the whole table, within a street of the name
        ``street`` when one is given: for a roster that names no county. Names match by
        the same tiers as :meth:`community` (桂圆林, 桂圆林社区, 桂圆林社区居委会 ...).

        >>> [d.code for d in DivisionIndex.default().anywhere("符阳街道", "桂圆林社区")]
        ['510522001006']
        """
        found = self._broad(Level.COMMUNITY, community)
        if street:
            streets = {e.code[:9]: e for e in self._broad(Level.STREET, street)}
            found = [e for e in found if e.code[:9] in streets]
            _, hits = find(street, Level.STREET, [streets[e.code[:9]] for e in found])
            codes = {e.code[:9] for e in hits}
            found = [e for e in found if e.code[:9] in codes]
        _, chosen = find(community, Level.COMMUNITY, found)
        return [self._entry_division(e) for e in dict.fromkeys(chosen)]

    def counties_holding(self, community: str) -> set[str]:
        """The 6-digit codes of every county with a community of this name in any of
        :meth:`community`'s tiers (桂圆林 is 桂圆林社区 and 桂圆林社区居民委员会 alike), unlike
        :meth:`anywhere`, which keeps the best tier's.

        >>> sorted(DivisionIndex.default().counties_holding("双庆社区"))
        ['500240']
        """
        return {e.code[:6] for e in self._broad(Level.COMMUNITY, community)}

    # -- internals ----------------------------------------------------------------

    def _broad(self, level: Level, name: str) -> list[Entry]:
        """Every division at ``level`` whose stem or loose key is the name's (any tier)."""
        table = self._core.national(level)
        stem = stem_for(level)
        keys = dict.fromkeys((stem(name), loose(name, stem)))
        return list(dict.fromkeys(e for k in keys for e in table.get(k, ())))

    def _kind_word(self, county_code: str) -> str:
        county = self.by_code(county_code)
        return kind_word(county.name) if county else "县"

    def _level(self, code: str) -> Level | None:
        division = self.by_code(code)
        return division.level if division is not None else None

    def _ancestors(self, code: str) -> tuple[str, ...]:
        chain: list[str] = []
        parent = parent_code(code)
        while parent is not None:
            chain.append(parent)
            parent = parent_code(parent)
        return tuple(reversed(chain))

    def _require(self, code: str, levels: tuple[Level, ...]) -> Division:
        division = self.by_code(code)
        if division is None or division.level not in levels:
            wanted = "或".join(level.zh for level in levels)
            raise ValueError(f"{code}不是已知的{wanted}代码")
        return division

    def _community_entries(self, parent: str) -> Sequence[Entry]:
        entries: Sequence[Entry] = self._core.scope(parent, Level.COMMUNITY)
        if self._declared:
            prefix = parent[:9] if level_of(parent) is Level.STREET else parent[:6]
            extra = [
                make_entry(c, d.name, Level.COMMUNITY)
                for c, d in sorted(self._declared.items())
                if c.startswith(prefix)
            ]
            if extra:
                entries = [*entries, *extra]
        return entries

    def _free_code(self, street: str) -> str:
        taken = {d.code for d in self.children(street)}
        for number in range(_PROVISIONAL_FIRST, 1000):
            code = f"{street[:9]}{number:03d}"
            if code not in taken:
                return code
        raise ValueError(f"街道{street}的临时社区代码已用完")

    def _entry_division(self, entry: Entry) -> Division:
        division = self.by_code(entry.code)
        assert division is not None
        return division

    def _label(self, division: Division) -> str:
        if division.level is Level.COUNTY:
            return f"{self.full_name(division.code)}({division.code})"
        return str(division)

    def _hint_fits(self, code: str, hint: str) -> bool:
        """Whether a province/city hint (name, both names, or code prefix) covers a county."""
        text = compact(hint)
        if text.isdigit():
            return code.startswith(text)
        province = self._core.table.names[code[:2] + "0" * 10]
        city = self._core.table.names.get(code[:4] + "0" * 8, "")
        city_stem = "" if city in _PLACEHOLDER_CITIES else region_stem(city)
        if region_stem(text) in (region_stem(province), city_stem):
            return True
        for prefix in (province, region_stem(province)):
            if text.startswith(prefix):
                rest = text[len(prefix) :]
                return not rest or (bool(city_stem) and region_stem(rest) == city_stem)
        return False

    def _resolve(
        self, query: str, level: Level, entries: Sequence[Entry], scope_label: str, narrow_by: str
    ) -> Resolution:
        tier, hits = find(query, level, entries)
        shown = compact(query)
        where = f"（{scope_label}）" if scope_label else ""
        if len(hits) == 1:
            division = self._entry_division(hits[0])
            reason = f"{level.zh}“{shown}”{where}匹配{self._label(division)}"
            return Resolution(query, level, "match", reason, division, matched_by=tier)
        if hits:
            found = [self._entry_division(e) for e in hits[:_MAX_AMBIGUOUS]]
            more = "等" if len(hits) > len(found) else ""
            advice = f"；请给出{narrow_by}" if narrow_by else ""
            reason = (
                f"{level.zh}“{shown}”{where}不唯一，共{len(hits)}个："
                f"{'、'.join(map(self._label, found))}{more}{advice}"
            )
            return Resolution(
                query, level, "ambiguous", reason, candidates=tuple(found), matched_by=tier
            )
        near = [self._entry_division(e) for e in nearest(query, level, entries)]
        if near:
            reason = (
                f"未找到{level.zh}“{shown}”{where}；最接近的有：{'、'.join(map(self._label, near))}"
            )
        else:
            reason = f"未找到{level.zh}“{shown}”{where}，也没有相近的名称"
        return Resolution(query, level, "miss", reason, candidates=tuple(near))
