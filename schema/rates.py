"""The three rates (三率) and the monthly ranking of units, with their formulas, each
figure down to the demands (or units) behind it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from domain.clock import ms_to_datetime
from domain.rates import RANKING_FORMULA, Period
from graph import rates as g
from resolvers import rates as resolve
from resolvers import units as resolve_units
from resolvers.context import Context
from schema import lazy, relation
from schema.common import ExportFile

Info = strawberry.Info[Context, None]


@strawberry.type(description="a period [from, to): by its dispatch time a dispatch counts in it")
class RatePeriod:
    start: datetime = strawberry.field(name="from")
    end: datetime = strawberry.field(name="to")
    label: str = strawberry.field(description="'2026-11', or the two times in China time")


def period_object(period: Period) -> RatePeriod:
    return RatePeriod(
        start=ms_to_datetime(period.start), end=ms_to_datetime(period.end), label=period.label
    )


@strawberry.type(
    description="One figure: numerator / denominator = value (null when the denominator is 0; "
    "a count has no denominator), its formula in Chinese, and the ids behind it"
)
class RateFigure:
    key: str = strawberry.field(description="response, onTime, resolved, satisfied, callback, "
                                "overdue, whistleResponse, absent, idle")  # fmt: skip
    label: str = strawberry.field(description="响应率, 按期办结率 …")
    formula: str
    is_ratio: bool
    numerator: int
    denominator: int | None
    value: float | None
    ids: list[strawberry.ID] = strawberry.field(
        description="behind the numerator: demand ids, one per dispatch (a demand reopened in "
        "the period may appear twice); unit ids for 报而不到 and 到而不干"
    )
    base_ids: list[strawberry.ID] = strawberry.field(
        description="behind the denominator: demand ids, one per dispatch (or per summons)"
    )


def figure_object(f: g.FigureValue) -> RateFigure:
    return RateFigure(
        key=f.figure.key, label=f.figure.label, formula=f.figure.formula, is_ratio=f.figure.ratio,
        numerator=f.numerator, denominator=f.denominator, value=f.value,
        ids=[strawberry.ID(i) for i in f.ids], base_ids=[strawberry.ID(i) for i in f.base_ids],
    )  # fmt: skip


@strawberry.type(description="The figures of a scope over a period")
class Rates:
    scope: str = strawberry.field(description="the place code or unit id asked for")
    period: RatePeriod
    figures: list[RateFigure]


@strawberry.type(description="A unit's place in the monthly ranking")
class UnitRank:
    unit_id: strawberry.ID
    unit_name: str
    rank: int | None = strawberry.field(
        description="1 for the best score; equal scores share a rank; null: no dispatch"
    )
    score: float | None = strawberry.field(description="0-100, see formula")
    formula: str = strawberry.field(description="how the score is computed")
    figures: list[RateFigure]

    unit = relation.one(
        lazy.Unit, resolve_units.get, on="unit_id",
        description="the unit (null if the caller may not read it)",
    )  # fmt: skip


def rank_object(r: g.UnitRank) -> UnitRank:
    return UnitRank(
        unit_id=strawberry.ID(r.unit_id), unit_name=r.unit_name, rank=r.rank, score=r.score,
        formula=RANKING_FORMULA, figures=[figure_object(f) for f in r.figures],
    )  # fmt: skip


@strawberry.type
class RatesQuery:
    @strawberry.field(
        description="三率 and the other figures of a place (city, county, street, community: "
        "4/6/9/12 digits) or a unit, over a month ('2026-11', China time) or [from, to)"
    )
    async def rates(
        self,
        info: Info,
        scope: str,
        start: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        end: Annotated[datetime | None, strawberry.argument(name="to")] = None,
        month: str | None = None,
    ) -> Rates:
        found = await resolve.rates(info.context, scope, start, end, month)
        return Rates(
            scope=found.scope,
            period=period_object(found.assessment.period),
            figures=[figure_object(f) for f in found.assessment.figures],
        )

    @strawberry.field(description=f"the month's ranking of the scope's units: {RANKING_FORMULA}")
    async def unit_ranking(self, info: Info, scope: str, month: str) -> list[UnitRank]:
        return [rank_object(r) for r in await resolve.ranking(info.context, scope, month)]

    @strawberry.field(
        description="the month's assessment of a county or street as .xlsx (sheets 三率, "
        "单位排名, 逾期清单; docs/exports.md)"
    )
    async def assessment_export(self, info: Info, scope: str, month: str) -> ExportFile:
        found = await resolve.assessment_export(info.context, scope, month)
        return ExportFile.of(found.filename, found.content_type, found.data)
