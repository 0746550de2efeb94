"""Official places: names in a roster resolved offline to 12-digit division codes.

A row may name its county or not; without one, the uploader's county
(``within``), the load's default county (``gongjian load --county``) or else the
counties already in the graph or named earlier in the same load are searched,
and when those do not hold the row's street and community, the pair is looked
up in the whole shipped table and taken when it is unique. The County, Street and
Community nodes a row refers to come from the official list itself, so
referring to an official place creates it with its official name and code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from divisions import Division, DivisionIndex, Level, Resolution, kind_word
from loaders.confine import inside
from loaders.plan import Problem, Rejected, reject

_PLACEHOLDER_CITIES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


class Places:
    """Resolves county, street and community names within a load's counties."""

    def __init__(
        self,
        index: DivisionIndex,
        counties: set[str] | None = None,
        within: str | None = None,
        default: str | None = None,
    ) -> None:
        self.index = index
        #: 12-digit codes of the counties a row without a county column may mean
        self.counties: set[str] = set(counties or ())
        #: the one county (or city) this load may touch (the uploader's scope), if limited
        self.within = within
        #: the county a row without a county column means (``--county``), if given
        self.default = default
        self._cache: dict[tuple[Any, ...], Division | list[Problem]] = {}

    def declare(self, index: DivisionIndex) -> None:
        """Use an index that knows more declared communities; forget cached misses."""
        self.index = index
        self._cache = {k: v for k, v in self._cache.items() if isinstance(v, Division)}

    def _cached(self, key: tuple[Any, ...], find: Any) -> Division:
        found = self._cache.get(key)
        if found is None:
            try:
                found = find()
            except Rejected as e:
                found = e.problems
            self._cache[key] = found
        if isinstance(found, list):
            raise Rejected(found)  # a new exception each time: no traceback grows in the cache
        return found

    def county(self, name: str, column: str = "county") -> Division:
        """A county by name (or code); it joins the load's counties."""
        division = self._cached(("county", name), lambda: self._county(name, column))
        if self.within is not None and not inside(division.code, self.within):
            allowed = self.index.by_code(self.within)
            mine = allowed.name if allowed else self.within
            raise reject(
                column,
                f"{division.name}不在你的范围内：你只能导入{mine}的名册 (outside your county)",
                "OUT_OF_SCOPE",
                name,
            )
        self.counties.add(division.code)
        return division

    def _county(self, name: str, column: str) -> Division:
        if name.isdigit():
            found = self.index.by_code(name) if len(name) in (6, 12) else None
            if found is not None and found.level is Level.COUNTY:
                return found
        result = self.index.county(name)
        if result.ok:
            return result.unwrap()
        known = {*self.counties, *(c for c in (self.within, self.default) if c)}
        in_scope = [c for c in result.candidates if c.code in known]
        if result.status == "ambiguous" and len(in_scope) == 1:
            return in_scope[0]
        raise reject(column, result.reason, "UNKNOWN_PLACE", name)

    def implied(self) -> str | None:
        """The county a row without a county column means, when the load says so."""
        if self.within is not None and not _is_city(self.within):
            return self.within
        if self.default is not None:
            return self.default
        return next(iter(self.counties)) if len(self.counties) == 1 else None

    def _scope(self, county: str | None, columns: dict[str, str]) -> list[str]:
        if county:
            return [self.county(county, columns["county"]).code]
        if self.within is not None and not _is_city(self.within):
            return [self.within]
        if self.within is not None:  # a city's upload: the rows' county column decides
            return sorted(c for c in self.counties if inside(c, self.within))
        if self.default is not None:
            return [self.default]
        return sorted(self.counties)

    def holding(self, rows: Sequence[Sequence[str]]) -> str | None:
        """The one county of the whole table that holds every community these rows name
        (each row's names are communities of one county): the county of a roster that
        names none, such as a units roster whose 结对社区 alone say where it is (正街社区
        is in many counties; 正街, 横街, 新开路 and 双桥 together in one). Names found
        nowhere are left to the rows' own checks; None when the rows name no community
        found anywhere, or their communities do not single out one county (within the
        uploader's city, if it is one)."""
        found: dict[str, set[str]] = {}
        common: set[str] | None = None
        for names in rows:
            mine: set[str] | None = None
            for name in names:
                if name not in found:
                    found[name] = self.index.counties_holding(name)
                if found[name]:
                    mine = found[name] if mine is None else mine & found[name]
            if mine is not None:
                common = mine if common is None else common & mine
        if self.within is not None:
            common = {c for c in common or () if inside(c.ljust(12, "0"), self.within)}
        return common.pop().ljust(12, "0") if common is not None and len(common) == 1 else None

    def adopt(self, rows: Sequence[Sequence[str]]) -> str | None:
        """``holding`` for rows that name no county, when the load does not say one (no
        ``--county``, no uploader's county): the county found joins the load's counties
        (those of the graph and of the rows before), so the rows' places are looked up
        there too; the county, or None."""
        told = self.default is not None or (self.within is not None and not _is_city(self.within))
        if not rows or told:
            return None
        county = self.holding(rows)
        if county is not None:
            self.counties.add(county)
        return county

    def _unknown_county(self, column: str) -> Rejected:
        return reject(
            column,
            "无法确定所属县（区、市、旗）：请增加“所属县（区）”列，或先导入区划名册（divisions），"
            "或导入时指定县（--county）",
            "UNKNOWN_COUNTY",
        )

    def street(
        self, county: str | None, street: str, *, columns: dict[str, str] | None = None
    ) -> Division:
        cols = {"county": "county", "street": "street", **(columns or {})}
        key = ("street", county, street)
        return self._cached(key, lambda: self._street(county, street, cols))

    def _street(self, county: str | None, street: str, cols: dict[str, str]) -> Division:
        scope = self._scope(county, cols)
        if not scope:
            raise self._unknown_county(cols["county"])
        results = [self.index.street(code, street) for code in scope]
        return _one(results, street, cols["street"], "街道")

    def community(
        self,
        county: str | None,
        street: str | None,
        community: str,
        *,
        columns: dict[str, str] | None = None,
    ) -> Division:
        """A community, within its street when one is given."""
        cols = {"county": "county", "street": "street", "community": "community", **(columns or {})}
        key = ("community", county, street, community)
        return self._cached(key, lambda: self._community(county, street, community, cols))

    def _community(
        self, county: str | None, street: str | None, community: str, cols: dict[str, str]
    ) -> Division:
        scope = self._scope(county, cols)
        if not scope:
            if not street:
                raise self._unknown_county(cols["county"])
            found = self._anywhere(street, community, cols)
            if found is None:
                raise _nowhere(street, community, cols)
            return found
        try:
            return self._community_in(scope, street, community, cols)
        except Rejected as e:
            if county or not street:
                raise
            found = self._anywhere(street, community, cols)
            if found is not None:
                return found
            if any(p.column == cols["street"] for p in e.problems):
                # the street is not in the load's counties: say what the whole table says
                raise _nowhere(street, community, cols) from None
            raise

    def _anywhere(self, street: str, community: str, cols: dict[str, str]) -> Division | None:
        """The one community of this street and name in the whole table; None if none."""
        found = self.index.anywhere(street, community)
        if not found:
            return None
        if len(found) > 1:
            listed = "、".join(f"{self.index.full_name(d.code)}({d.code})" for d in found[:8])
            more = f"等 {len(found)} 处" if len(found) > 8 else ""
            raise reject(
                cols["community"],
                f"“{street}{community}”在多个县（区、市、旗）都有：{listed}{more}；"
                "请增加“所属县（区）”列，或导入时指定县（--county）",
                "AMBIGUOUS_PLACE",
                community,
            )
        place = found[0]
        if self.within is not None and not inside(place.code, self.within):
            allowed = self.index.by_code(self.within)
            mine = allowed.name if allowed else self.within
            raise reject(
                cols["community"],
                f"{self.index.full_name(place.code)}不在你的范围内：你只能导入{mine}的名册 "
                "(outside your county)",
                "OUT_OF_SCOPE",
                community,
            )
        if self.default is not None and place.code[:6] != self.default[:6]:
            chosen = self.index.by_code(self.default)
            raise reject(
                cols["community"],
                f"{chosen.name if chosen else self.default}没有“{street}{community}”，"
                f"它在{self.index.full_name(place.code)}：请核对名称或 --county",
                "UNKNOWN_PLACE",
                community,
            )
        # its county joins the load's: a later row naming the community alone is found there
        self.counties.add(place.code[:6].ljust(12, "0"))
        return place

    def _community_in(
        self, scope: list[str], street: str | None, community: str, cols: dict[str, str]
    ) -> Division:
        results: list[Resolution] = []
        street_misses: list[Resolution] = []
        for code in scope:
            parent = code
            if street:
                found = self.index.street(code, street)
                if not found.ok:
                    street_misses.append(found)
                    continue
                parent = found.unwrap().code
            results.append(self.index.community(parent, community))
        if not results and street_misses:
            return _one(street_misses, street or "", cols["street"], "街道")
        return _one(results, community, cols["community"], "社区")

    def within_county(self, county_code: str, name: str, column: str) -> Division:
        """A street or community of one county, by name: 符阳街道, 桂圆林社区."""
        key = ("within", county_code, name)
        return self._cached(key, lambda: self._within(county_code, name, column))

    def _within(self, county_code: str, name: str, column: str) -> Division:
        street = self.index.street(county_code, name)
        if street.ok:
            return street.unwrap()
        community = self.index.community(county_code, name)
        if community.ok:
            return community.unwrap()
        near = (community.candidates + street.candidates)[:5]
        county = self.index.by_code(county_code)
        where = f"（{county.name}）" if county else ""
        hint = f"；最接近的有：{'、'.join(map(str, near))}" if near else ""
        raise reject(column, f"未找到街道或社区“{name}”{where}{hint}", "UNKNOWN_PLACE", name)

    def nodes(self, code: str) -> list[tuple[str, str, dict[str, Any]]]:
        """The County, Street and Community nodes down to ``code``, top first."""
        division = self.index.by_code(code)
        if division is None:  # pragma: no cover - codes come from the index
            raise ValueError(code)
        found: list[tuple[str, str, dict[str, Any]]] = []
        for ancestor in (*division.ancestors, division.code):
            place = self.index.by_code(ancestor)
            if place is None or place.level not in (Level.COUNTY, Level.STREET, Level.COMMUNITY):
                continue
            found.append(self._node(place))
        return found

    def _node(self, place: Division) -> tuple[str, str, dict[str, Any]]:
        props: dict[str, Any] = {"name": place.short_name, "code": place.code}
        if place.level is Level.COUNTY:
            props["kindWord"] = kind_word(place.name)
            province = self.index.by_code(place.code[:2] + "0" * 10)
            city = self.index.by_code(place.code[:4] + "0" * 8)
            if province is not None:
                props["province"] = province.name
            if city is not None and city.name not in _PLACEHOLDER_CITIES and city != place:
                props["city"] = city.name
            return "County", place.code, props
        if place.level is Level.STREET:
            return "Street", place.code, props | {"countyId": place.code[:6] + "000000"}
        street = place.code[:9] + "000"
        return "Community", place.code, props | {"streetId": street, "declared": place.declared}


def _is_city(code: str) -> bool:
    return code[4:] == "00000000"


def _nowhere(street: str, community: str, cols: dict[str, str]) -> Rejected:
    return reject(
        cols["community"],
        f"未找到街道（乡镇）“{street}”的社区“{community}”：2023 年统计用区划中没有；"
        "请核对名称，或增加“所属县（区）”列",
        "UNKNOWN_PLACE",
        community,
    )


def _one(results: list[Resolution], name: str, column: str, what: str) -> Division:
    matches = {r.division.code: r.division for r in results if r.ok and r.division is not None}
    if len(matches) == 1:
        return next(iter(matches.values()))
    if len(matches) > 1:
        listed = "、".join(str(d) for d in matches.values())
        raise reject(
            column,
            f"{what}“{name}”在多个县（区、市、旗）都有：{listed}；请增加“所属县（区）”列",
            "AMBIGUOUS_PLACE",
            name,
        )
    ambiguous = [r for r in results if r.status == "ambiguous"]
    if ambiguous:
        raise reject(column, ambiguous[0].reason, "AMBIGUOUS_PLACE", name)
    if len(results) == 1:
        raise reject(column, results[0].reason, "UNKNOWN_PLACE", name)
    near = [c for r in results for c in r.candidates][:5]
    hint = f"；最接近的有：{'、'.join(map(str, near))}" if near else ""
    raise Rejected([Problem(column, f"未找到{what}“{name}”{hint}", "UNKNOWN_PLACE", name)])
