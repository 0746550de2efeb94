"""Agreements (共建协议), joint meetings (联席会议) and evaluations (评价): read and record."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import Field

from domain import models
from domain.clock import now_ms, today
from domain.errors import Conflict, InvalidInput, NotFound
from domain.ids import ancestor_codes, derived_id, division_level, label_of_id, pad_division_code
from domain.vocab import EvaluationKind, ProjectStatus
from graph.queries import records as q
from resolvers import demands, places, projects, units
from resolvers.context import Context
from resolvers.inputs import Input, IsoDate, Name, Text, validate
from resolvers.limits import check_items
from resolvers.mutate import Target, Writer, perform, refuse_missing
from resolvers.people import scope_prefix


def agreement(row: dict[str, Any]) -> models.Agreement:
    return models.Agreement.model_validate(row["node"])


def meeting(row: dict[str, Any]) -> models.Meeting:
    return models.Meeting.model_validate(row["node"])


def evaluation(row: dict[str, Any]) -> models.Evaluation:
    return models.Evaluation.model_validate(row["node"])


def _id(row: dict[str, Any]) -> str:
    return str(row["id"])


# -- reads -------------------------------------------------------------------------------


async def get_agreement(ctx: Context, agreement_id: str) -> models.Agreement | None:
    return await ctx.loaders.one(q.AGREEMENT_GET, agreement).load(agreement_id)


async def get_meeting(ctx: Context, meeting_id: str) -> models.Meeting | None:
    return await ctx.loaders.one(q.MEETING_GET, meeting).load(meeting_id)


async def agreed_projects(ctx: Context, meeting_id: str) -> list[models.Project]:
    ids = await ctx.loaders.many(q.AGREED_PROJECTS, _id).load(meeting_id)
    found = await asyncio.gather(*(projects.get(ctx, i) for i in ids))
    return [p for p in found if p is not None]


async def discussed_demands(ctx: Context, meeting_id: str) -> list[models.Demand]:
    ids = await ctx.loaders.many(q.DISCUSSED_DEMANDS, _id).load(meeting_id)
    found = await asyncio.gather(*(demands.get(ctx, i) for i in ids))
    return [d for d in found if d is not None]


async def target_of(ctx: Context, target_id: str) -> models.Project | models.Unit | None:
    """What an evaluation evaluates: a project or a unit."""
    if label_of_id(target_id) == "Project":
        return await projects.get(ctx, target_id)
    return await units.get(ctx, target_id)


async def get_evaluation(ctx: Context, evaluation_id: str) -> models.Evaluation | None:
    return await ctx.loaders.one(q.EVALUATION_GET, evaluation).load(evaluation_id)


# -- recording ---------------------------------------------------------------------------


class RecordAgreement(Input):
    unit_id: str
    community: str
    title: Name = Field(max_length=200)
    signed_on: IsoDate | None = None
    content: Text = Field("", max_length=20_000)


class RecordMeeting(Input):
    place: str = Field(description="the county, street or community code where it was held")
    title: Name = Field(max_length=200)
    held_on: IsoDate
    cadence: Text | None = Field(None, max_length=20, description="月度、季度、半年 …")
    minutes: Text = Field("", max_length=20_000)
    project_ids: list[str] = Field(default_factory=list)
    demand_ids: list[str] = Field(default_factory=list)


class RecordEvaluation(Input):
    kind: EvaluationKind
    target_id: str
    score: float = Field(ge=0, le=100)
    period: Text | None = Field(None, max_length=20, description="2024, 2024-H1, 2024-Q3 …")
    comment: Text = Field("", max_length=5000)


def _props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None}


async def _community_code(ctx: Context, code: str, action: str) -> str:
    try:
        full = pad_division_code(code)
    except ValueError as e:
        raise InvalidInput(str(e), field="community") from e
    if division_level(full) != "Community":
        raise InvalidInput(f"community 应为社区的区划代码，收到 {code!r}", field="community")
    if await places.by_code(ctx, full) is None:
        raise refuse_missing(ctx, action)
    return full


async def record_agreement(ctx: Context, data: dict[str, Any]) -> models.Agreement:
    """共建协议: a unit and a community sign a co-building agreement."""
    inp = validate(RecordAgreement, data)
    community = await _community_code(ctx, inp.community, "RECORD_AGREEMENT")
    unit = await units.locate(ctx, inp.unit_id)
    if unit is None:
        raise refuse_missing(ctx, "RECORD_AGREEMENT")
    agreement_id = derived_id("Agreement", inp.unit_id, community, inp.title)
    target = Target(
        "Agreement", agreement_id, ancestor_codes(community), unit_id=inp.unit_id,
        unit_county=unit.countyId,
    )  # fmt: skip

    async def run(write: Writer) -> models.Agreement:
        if await ctx.store.run(q.AGREEMENT_GET, ids=[agreement_id]):
            raise Conflict(
                f"该单位与该社区已有题为“{inp.title}”的协议 (this agreement exists)", field="title"
            )
        props = _props({"title": inp.title, "signedOn": inp.signed_on, "content": inp.content})
        params = {"id": agreement_id, "unitId": inp.unit_id, "communityId": community,
                  "props": props, "now": now_ms()}  # fmt: skip
        after = {**props, "unitId": inp.unit_id, "communityId": community}
        if await write((q.CREATE_AGREEMENT, params), after=after) is None:
            raise refuse_missing(ctx, "RECORD_AGREEMENT")
        return agreement((await ctx.store.run(q.AGREEMENT_GET, ids=[agreement_id]))[0])

    return await perform(ctx, "RECORD_AGREEMENT", target, run)


async def _meeting_links(ctx: Context, inp: RecordMeeting, prefix: str) -> None:
    """Every project and demand exists and lies in the meeting's place."""
    found_projects = await asyncio.gather(*(projects.get(ctx, i) for i in inp.project_ids))
    for project_id, found_project in zip(inp.project_ids, found_projects, strict=True):
        if found_project is None or not found_project.communityId.startswith(prefix):
            raise NotFound(
                f"项目 {project_id} 不存在或不在会议所在地范围内 (no such project there)",
                field="projectIds",
            )
    found_demands = await asyncio.gather(*(demands.get(ctx, i) for i in inp.demand_ids))
    for demand_id, found_demand in zip(inp.demand_ids, found_demands, strict=True):
        if found_demand is None or not found_demand.communityId.startswith(prefix):
            raise NotFound(
                f"需求 {demand_id} 不存在或不在会议所在地范围内 (no such demand there)",
                field="demandIds",
            )


async def record_meeting(ctx: Context, data: dict[str, Any]) -> models.Meeting:
    """联席会议: a joint meeting held in a county, street or community, with the
    projects it agreed and the demands it discussed (all of them in that place)."""
    inp = validate(RecordMeeting, data)
    check_items("projectIds", len(inp.project_ids), ctx.limits.meeting_items)
    check_items("demandIds", len(inp.demand_ids), ctx.limits.meeting_items)
    prefix = scope_prefix(inp.place, field="place")
    code = pad_division_code(inp.place)
    if await places.by_code(ctx, code) is None:
        raise refuse_missing(ctx, "RECORD_MEETING")
    inp = inp.model_copy(update={
        "project_ids": list(dict.fromkeys(inp.project_ids)),
        "demand_ids": list(dict.fromkeys(inp.demand_ids)),
    })  # fmt: skip
    meeting_id = derived_id("Meeting", code, inp.held_on, inp.title)
    target = Target("Meeting", meeting_id, ancestor_codes(code))

    async def run(write: Writer) -> models.Meeting:
        if await ctx.store.run(q.MEETING_GET, ids=[meeting_id]):
            raise Conflict(
                f"{inp.held_on} 已记录题为“{inp.title}”的会议 (this meeting exists)", field="title"
            )
        await _meeting_links(ctx, inp, prefix)
        props = _props({
            "title": inp.title, "heldOn": inp.held_on, "cadence": inp.cadence,
            "minutes": inp.minutes,
        })  # fmt: skip
        params = {"id": meeting_id, "placeId": code, "props": props,
                  "projectIds": inp.project_ids, "demandIds": inp.demand_ids, "now": now_ms()}  # fmt: skip
        after = {**props, "placeId": code, "projectIds": inp.project_ids,
                 "demandIds": inp.demand_ids}  # fmt: skip
        if await write((q.CREATE_MEETING[division_level(code)], params), after=after) is None:
            raise refuse_missing(ctx, "RECORD_MEETING")
        return meeting((await ctx.store.run(q.MEETING_GET, ids=[meeting_id]))[0])

    return await perform(ctx, "RECORD_MEETING", target, run)


_EVALUABLE = (ProjectStatus.DONE, ProjectStatus.EVALUATED)


async def _evaluated(
    ctx: Context, target_id: str, action: str
) -> tuple[str, Target, models.Project | None]:
    """What is evaluated: its label, the write's target, and the project (if one)."""
    label = label_of_id(target_id)
    if label not in q.EVALUATED:
        raise InvalidInput("targetId 应为项目或单位的编号 (a project or unit id)", field="targetId")
    project = await projects.get(ctx, target_id) if label == "Project" else None
    unit_id = project.leadUnitId if project else target_id
    unit = await units.locate(ctx, unit_id) if unit_id else None
    if (label == "Project" and project is None) or (label == "Unit" and unit is None):
        raise refuse_missing(ctx, action)
    codes = ancestor_codes(project.communityId) if project else ()
    if unit is not None and not codes:
        codes = ancestor_codes(unit.countyId)
    target = Target(
        "Evaluation", None, codes, unit_id=unit_id, unit_county=unit.countyId if unit else None
    )
    return label, target, project


async def record_evaluation(ctx: Context, data: dict[str, Any]) -> models.Evaluation:
    """晒绩自评、群众测评、组织考评 of a finished project or of a unit: one of each kind
    per target and period (today, when no period is given)."""
    inp = validate(RecordEvaluation, data)
    action = f"RECORD_EVALUATION:{inp.kind.value}"
    label, where, project = await _evaluated(ctx, inp.target_id, action)
    evaluation_id = derived_id(
        "Evaluation", inp.target_id, inp.kind.value, inp.period or today().isoformat()
    )
    target = Target(
        "Evaluation", evaluation_id, where.codes, unit_id=where.unit_id,
        unit_county=where.unit_county, details={"kind": inp.kind.value, "targetId": inp.target_id},
    )  # fmt: skip

    async def run(write: Writer) -> models.Evaluation:
        if project is not None and project.status not in _EVALUABLE:
            raise Conflict(
                f"项目处于“{project.status.label}”：完成后才能评价 "
                "(only a finished project can be evaluated)",
                field="targetId",
            )
        if await ctx.store.run(q.EVALUATION_GET, ids=[evaluation_id]):
            raise Conflict(
                f"本期已有一份{inp.kind.label}：请注明其他评价期 (period) "
                "(this kind of evaluation exists for the period)",
                field="period",
            )
        props = _props({
            "kind": inp.kind.value, "score": inp.score, "period": inp.period,
            "comment": inp.comment,
        })  # fmt: skip
        params = {"id": evaluation_id, "targetId": inp.target_id, "props": props, "now": now_ms()}
        after = {**props, "targetId": inp.target_id}
        if await write((q.CREATE_EVALUATION[label], params), after=after) is None:
            raise refuse_missing(ctx, action)
        return evaluation((await ctx.store.run(q.EVALUATION_GET, ids=[evaluation_id]))[0])

    return await perform(ctx, action, target, run)


def _dump(model: models.Agreement | models.Meeting | models.Evaluation) -> dict[str, Any]:
    return model.model_dump(exclude={"createdAt", "updatedAt"})
