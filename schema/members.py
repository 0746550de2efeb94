"""双报到: Member, Wish (微心愿), ServiceLog, the confirmed hours per home unit and per
member, their .xlsx export, and the mutations that record them.

``unit_service_hours`` serves ``Unit.memberServiceHours``; ``schema.units`` reaches it
lazily (this module imports it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from domain import members as models
from domain.clock import ms_to_datetime
from domain.ids import ancestor_codes
from domain.vocab import WishStatus
from loaders.exports import member_hours as export
from resolvers import members as resolve
from resolvers import places as resolve_places
from resolvers import units as resolve_units
from resolvers.context import Context
from resolvers.personal import Personal, reveal
from schema import lazy, listing, relation
from schema.common import (
    ConflictError,
    ExportFile,
    ForbiddenError,
    IllegalTransitionError,
    InvalidInputError,
    Node,
    NotFoundError,
    UnauthenticatedError,
    input_values,
    outcome,
)
from schema.convert import converts, from_model
from schema.units import Unit

Info = strawberry.Info[Context, None]

strawberry.enum(WishStatus, description="微心愿: 待认领 -> 已认领 -> 已完成")


def _time(ms: int | None) -> datetime | None:
    return ms_to_datetime(ms) if ms is not None else None


def _reveal(
    ctx: Context, kind: Personal, value: str | None, community: str, unit: str
) -> str | None:
    """A member's name or phone as the caller may see it: whole for the community they
    live in (and above) and for their home unit, masked elsewhere."""
    return reveal(ctx, kind, value, codes=ancestor_codes(community), unit_id=unit)


@strawberry.type(description="双报到党员: an in-service party member reporting where they live")
class Member(Node):
    raw_name: strawberry.Private[str]
    raw_phone: strawberry.Private[str | None]
    home_unit_id: strawberry.Private[str]
    community_code: strawberry.Private[str]

    @strawberry.field(description="姓名 (personal data)")
    def name(self, info: Info) -> str:
        return (
            _reveal(info.context, "name", self.raw_name, self.community_code, self.home_unit_id)
            or ""
        )

    @strawberry.field(description="联系电话 (personal data)")
    def phone(self, info: Info) -> str | None:
        return _reveal(
            info.context, "phone", self.raw_phone, self.community_code, self.home_unit_id
        )

    home_unit = relation.one(
        "Unit", resolve_units.get, on="home_unit_id",
        description="工作单位: the unit the member reports back to",
    )  # fmt: skip
    community = relation.one(
        lazy.Community, resolve_places.community, on="community_code",
        description="居住社区: the community the member reports to",
    )  # fmt: skip

    @strawberry.field(description="confirmed service hours (in the period, if one is given)")
    async def confirmed_hours(
        self,
        info: Info,
        from_: Annotated[str | None, strawberry.argument(name="from")] = None,
        to: str | None = None,
        month: str | None = None,
    ) -> float:
        period = models.period_of(from_, to, month)
        logs = await resolve.logs_of(info.context, self.id)
        return sum(
            log.hours for log in logs
            if log.confirmedAt is not None and period.start <= log.at < period.end
        )  # fmt: skip

    service_logs = relation.paged(
        "ServiceLog", resolve.logs_of,
        description="服务记录, newest first (confirmed or not), a page at a time",
    )  # fmt: skip

    @strawberry.field(description="ids of the demands and 微心愿 the member claimed")
    async def claimed_ids(self, info: Info) -> list[strawberry.ID]:
        return [strawberry.ID(i) for i in await resolve.claimed_ids(info.context, self.id)]


@converts(models.Member)
def member_object(model: models.Member) -> Member:
    return from_model(
        Member, model, raw_name=model.name, raw_phone=model.phone,
        home_unit_id=model.homeUnitId, community_code=model.community,
    )  # fmt: skip


@strawberry.type(description="微心愿: a small wish a community posts for a member to claim")
class Wish(Node):
    title: str
    description: str
    status: WishStatus
    claimed_at: datetime | None
    done_at: datetime | None
    member_id: strawberry.Private[str | None]
    community_code: strawberry.Private[str]

    @strawberry.field
    def status_label(self) -> str:
        return self.status.label

    claimed_by = relation.one(
        "Member", resolve.get, on="member_id", description="the member who claimed it"
    )
    community = relation.one(lazy.Community, resolve_places.community, on="community_code")


@converts(models.Wish)
def wish_object(model: models.Wish) -> Wish:
    return from_model(
        Wish, model, claimed_at=_time(model.claimedAt), done_at=_time(model.doneAt),
        member_id=model.memberId, community_code=model.community,
    )  # fmt: skip


@strawberry.type(description="服务时长: hours a member served; counted once confirmed")
class ServiceLog(Node):
    hours: float
    at: datetime = strawberry.field(description="when the service was done")
    note: str
    confirmed_at: datetime | None = strawberry.field(description="null until confirmed")
    target_id: strawberry.ID = strawberry.field(description="the demand or 微心愿 served")
    member_id: strawberry.Private[str]

    @strawberry.field
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    member = relation.one("Member", resolve.get, on="member_id")


@converts(models.ServiceLog)
def log_object(model: models.ServiceLog) -> ServiceLog:
    return from_model(
        ServiceLog, model, at=ms_to_datetime(model.at), confirmed_at=_time(model.confirmedAt),
        target_id=strawberry.ID(model.targetId), member_id=model.memberId,
    )  # fmt: skip


# -- the totals --------------------------------------------------------------------------


@strawberry.type(description="a home unit's members under the scope and their confirmed hours")
class UnitMemberHours:
    unit_id: strawberry.ID
    unit_name: str
    members: int = strawberry.field(description="registered members living under the scope")
    hours: float = strawberry.field(description="confirmed hours in the period")
    logs: int = strawberry.field(description="confirmed service logs in the period")

    unit = relation.one(lazy.Unit, resolve_units.get, on="unit_id")


@strawberry.type(description="a member and their confirmed hours in the period")
class MemberHoursRow:
    hours: float
    logs: int
    model: strawberry.Private[models.Member]

    @strawberry.field
    async def member(self, info: Info) -> Member | None:
        admitted = await info.context.read.admit(self.model)
        return member_object(admitted) if admitted is not None else None


@strawberry.type(description="双报到 confirmed hours under a scope in a period")
class MemberHoursReport:
    scope: str = strawberry.field(description="the county, street or community code")
    period: str = strawberry.field(description="2026-11, 2026-11-01..2026-11-15 or 全部")
    units: list[UnitMemberHours] = strawberry.field(description="per home unit, most hours first")
    members: list[MemberHoursRow] = strawberry.field(description="per member, by home unit")

    @strawberry.field
    def total_hours(self) -> float:
        return round(sum(u.hours for u in self.units), 4)


def report_object(totals: models.HoursTotals) -> MemberHoursReport:
    return MemberHoursReport(
        scope=totals.scope,
        period=totals.period.label,
        units=[
            UnitMemberHours(
                unit_id=strawberry.ID(u.unitId),
                unit_name=u.unitName,
                members=u.members,
                hours=u.hours,
                logs=u.logs,
            )
            for u in totals.units
        ],
        members=[
            MemberHoursRow(hours=m.hours, logs=m.logs, model=m.member) for m in totals.members
        ],
    )


@strawberry.type(description="a unit's members' confirmed service hours in the period")
class UnitServiceHours:
    hours: float
    logs: int


async def unit_service_hours(
    root: Unit, info: Info, start: str | None, end: str | None, month: str | None
) -> UnitServiceHours:
    hours, logs = await resolve.hours_of_unit(info.context, root.id, start, end, month)
    return UnitServiceHours(hours=hours, logs=logs)


def _export(info: Info, totals: models.HoursTotals) -> ExportFile:
    ctx = info.context

    def shown(m: models.Member) -> tuple[str, str]:
        name = _reveal(ctx, "name", m.name, m.community, m.homeUnitId) or ""
        return name, _reveal(ctx, "phone", m.phone, m.community, m.homeUnitId) or ""

    data = export.workbook_bytes(totals, shown)
    return ExportFile.of(export.filename(totals), export.MEDIA_TYPE, data)


# -- results -----------------------------------------------------------------------------

_ERRORS = (
    NotFoundError | InvalidInputError | ConflictError | IllegalTransitionError
    | ForbiddenError | UnauthenticatedError
)  # fmt: skip
MemberResult = Annotated[Member | _ERRORS, strawberry.union("MemberResult")]
WishResult = Annotated[Wish | _ERRORS, strawberry.union("WishResult")]
ServiceLogResult = Annotated[ServiceLog | _ERRORS, strawberry.union("ServiceLogResult")]
MemberHoursResult = Annotated[
    MemberHoursReport | InvalidInputError | ForbiddenError | UnauthenticatedError,
    strawberry.union("MemberHoursResult"),
]
ExportFileResult = Annotated[
    ExportFile | InvalidInputError | ForbiddenError | UnauthenticatedError,
    strawberry.union("ExportFileResult"),
]


@strawberry.input
class RegisterMemberInput:
    name: str
    phone: str | None = None
    home_unit_id: strawberry.ID = strawberry.field(description="工作单位")
    community_code: str = strawberry.field(description="12-digit code of the 居住社区")


@strawberry.input
class AddWishInput:
    community_code: str
    title: str
    description: str = ""


@strawberry.input
class LogServiceInput:
    member_id: strawberry.ID
    target_id: strawberry.ID = strawberry.field(description="a demand or 微心愿 of the community")
    hours: float = strawberry.field(description="more than 0, at most 24")
    at: str | None = strawberry.field(default=None, description="ISO date or date-time; now")
    note: str = ""


_FROM = Annotated[str | None, strawberry.argument(name="from", description="ISO date, included")]
_TO = Annotated[str | None, strawberry.argument(description="ISO date, included")]
_MONTH = Annotated[str | None, strawberry.argument(description="YYYY-MM (instead of from/to)")]


@strawberry.type
class MemberQuery:
    member = listing.by_id(
        Member, resolve.get, convert=member_object, description="双报到党员 by id"
    )

    members = listing.paged(
        Member, resolve.in_community, "community_code", convert=member_object,
        description="双报到党员 registered in a community, newest first, a page at a time",
    )  # fmt: skip

    wish = listing.by_id(Wish, resolve.get_wish, convert=wish_object, description="微心愿 by id")

    wishes = listing.paged(
        Wish, resolve.wishes_in, "community_code", convert=wish_object,
        description="微心愿 of a community, newest first, a page at a time",
    )  # fmt: skip

    service_log = listing.by_id(
        ServiceLog, resolve.get_log, convert=log_object, description="a service log by id"
    )

    @strawberry.field(description="双报到 confirmed hours per home unit and per member")
    async def member_hours(
        self, info: Info, scope: str, from_: _FROM = None, to: _TO = None, month: _MONTH = None
    ) -> MemberHoursResult:
        work = resolve.totals(info.context, scope, from_, to, month)
        return await outcome(work, report_object)  # type: ignore[return-value]

    @strawberry.field(
        description="the 双报到 hours per home unit as .xlsx (docs/exports-member-hours.md)"
    )
    async def member_hours_export(
        self, info: Info, scope: str, from_: _FROM = None, to: _TO = None, month: _MONTH = None
    ) -> ExportFileResult:
        work = resolve.totals(info.context, scope, from_, to, month)
        return await outcome(work, lambda t: _export(info, t))  # type: ignore[return-value]


@strawberry.type
class MemberMutation:
    @strawberry.mutation(description="双报到: register a member with the community they live in")
    async def register_member(self, info: Info, input: RegisterMemberInput) -> MemberResult:
        work = resolve.register(info.context, input_values(input))
        return await outcome(work, member_object)  # type: ignore[return-value]

    @strawberry.mutation(description="微心愿: a community posts a wish")
    async def add_wish(self, info: Info, input: AddWishInput) -> WishResult:
        work = resolve.add_wish(info.context, input_values(input))
        return await outcome(work, wish_object)  # type: ignore[return-value]

    @strawberry.mutation(description="a member of the community claims an open 微心愿")
    async def claim_wish(
        self, info: Info, wish_id: strawberry.ID, member_id: strawberry.ID
    ) -> WishResult:
        work = resolve.claim_wish(info.context, wish_id, member_id)
        return await outcome(work, wish_object)  # type: ignore[return-value]

    @strawberry.mutation(description="a claimed 微心愿 is fulfilled")
    async def finish_wish(self, info: Info, wish_id: strawberry.ID) -> WishResult:
        work = resolve.finish_wish(info.context, wish_id)
        return await outcome(work, wish_object)  # type: ignore[return-value]

    @strawberry.mutation(
        description="a member claims a demand of their community (stage unchanged)"
    )
    async def claim_demand(
        self, info: Info, demand_id: strawberry.ID, member_id: strawberry.ID
    ) -> MemberResult:
        work = resolve.claim_demand(info.context, demand_id, member_id)
        return await outcome(work, member_object)  # type: ignore[return-value]

    @strawberry.mutation(description="服务时长: log hours a member served (0 < hours <= 24)")
    async def log_service(self, info: Info, input: LogServiceInput) -> ServiceLogResult:
        work = resolve.log_service(info.context, input_values(input))
        return await outcome(work, log_object)  # type: ignore[return-value]

    @strawberry.mutation(description="the community confirms a service log: its hours count")
    async def confirm_service(self, info: Info, log_id: strawberry.ID) -> ServiceLogResult:
        work = resolve.confirm_service(info.context, log_id)
        return await outcome(work, log_object)  # type: ignore[return-value]
