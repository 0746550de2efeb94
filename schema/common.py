"""Shared GraphQL types: connections, errors, enums, the Node interface."""

from __future__ import annotations

import base64
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Generic, Protocol, TypeVar

import strawberry

from domain.errors import GongjianError
from domain.vocab import (
    CallbackRating,
    Category,
    DemandEventKind,
    DemandStage,
    DemandStatus,
    EvaluationKind,
    MatterClass,
    PartyOrgKind,
    ProjectClass,
    ProjectStatus,
    ResourceStatus,
    RoleKind,
    ServiceScope,
    UnitKind,
    Urgency,
    WhistleLevel,
)
from resolvers.paging import Page

__all__ = [
    "CallbackRating",
    "Category",
    "DemandEventKind",
    "DemandStage",
    "DemandStatus",
    "EvaluationKind",
    "MatterClass",
    "PartyOrgKind",
    "ProjectClass",
    "ProjectStatus",
    "ResourceStatus",
    "RoleKind",
    "ServiceScope",
    "UnitKind",
    "Urgency",
    "WhistleLevel",
]

T = TypeVar("T")
M = TypeVar("M")

# strawberry.enum registers the domain's own enums (and returns them unchanged)
strawberry.enum(Category, description="资源/需求类别")
strawberry.enum(MatterClass, description="五事分流: 大事 实事 要事 急事 难事")
strawberry.enum(Urgency, description="紧急程度: 一般 / 紧急")
strawberry.enum(DemandStatus)
strawberry.enum(ResourceStatus)
strawberry.enum(ProjectClass, description="项目类别 (five classes)")
strawberry.enum(ProjectStatus, description="点单 -> 派单 -> 接单 -> 实施 -> 完成 -> 评价")
strawberry.enum(RoleKind)
strawberry.enum(UnitKind)
strawberry.enum(PartyOrgKind)
strawberry.enum(EvaluationKind)
strawberry.enum(ServiceScope)
strawberry.enum(DemandStage, description="办理: 已点单 已派单 已接单 实施中 已办结 已评价 已退回")
strawberry.enum(DemandEventKind, description="a transition on a demand's timeline")
strawberry.enum(CallbackRating, description="回访: 满意 / 基本满意 / 不满意")
strawberry.enum(WhistleLevel, description="吹哨: STREET (a community to its street), COUNTY")


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: object) -> date:
    """A Date input: ``YYYY-MM-DD``; the error says what to write instead.

    >>> parse_date("2024-03-01")
    datetime.date(2024, 3, 1)
    """
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError(
            f"日期应写作 YYYY-MM-DD，例如 2024-03-01，而不是 {value!r} "
            f"(a Date is written YYYY-MM-DD, e.g. 2024-03-01, not {value!r})"
        )
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise ValueError(f"没有 {value} 这一天 (no such day: {value})") from e


#: ``datetime.date`` in the schema (``build_schema`` maps it): a calendar day
DATE = strawberry.scalar(
    name="Date",
    description="a calendar day, written YYYY-MM-DD (e.g. 2024-03-01)",
    serialize=lambda value: value.isoformat(),
    parse_value=parse_date,
)


def as_date(value: str | None) -> date | None:
    """A stored YYYY-MM-DD property as a Date (None when missing or not a day)."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@strawberry.enum(description="a sort key's direction")
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


class SortInput(Protocol):
    """A list's sort input (``DemandSortInput`` ...): a key and its direction."""

    @property
    def field(self) -> Enum: ...

    @property
    def direction(self) -> SortDirection: ...


@strawberry.interface(description="Anything with a stable id and its creation and update times")
class Node:
    id: strawberry.ID
    created_at: datetime
    updated_at: datetime


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int | None = strawberry.field(
        description="rows matching the filter (null when not asked for)"
    )

    @strawberry.field
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def connection(page: Page[M], convert: Callable[[M], T]) -> Connection[T]:
    edges = [Edge(cursor=page.cursor(i), node=convert(item)) for i, item in enumerate(page.items)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.skip > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=page.total,
    )


@strawberry.interface(description="An expected failure: a stable code and what to fix")
class Error:
    code: str
    message: str
    field: str | None = None


@strawberry.type(description="NOT_FOUND: no such object (or not within your scope)")
class NotFoundError(Error):
    pass


@strawberry.type(description="INVALID_INPUT: a value is wrong; `field` names it")
class InvalidInputError(Error):
    pass


@strawberry.type(description="CONFLICT: the object exists already or changed meanwhile")
class ConflictError(Error):
    pass


@strawberry.type(description="CAPACITY_EXCEEDED: a resource has less capacity left than asked")
class CapacityExceededError(Error):
    available: int | None = None


@strawberry.type(description="ILLEGAL_TRANSITION: the workflow does not allow this move")
class IllegalTransitionError(Error):
    allowed: list[str] = strawberry.field(default_factory=list)


@strawberry.type(description="UNAUTHENTICATED: sign in (send a bearer token)")
class UnauthenticatedError(Error):
    pass


@strawberry.type(description="FORBIDDEN: your role or scope does not allow this")
class ForbiddenError(Error):
    pass


ERROR_TYPES: dict[str, type[Error]] = {
    "NOT_FOUND": NotFoundError,
    "INVALID_INPUT": InvalidInputError,
    "TOO_MANY_ITEMS": InvalidInputError,
    "CONFLICT": ConflictError,
    "CAPACITY_EXCEEDED": CapacityExceededError,
    "ILLEGAL_TRANSITION": IllegalTransitionError,
    "UNAUTHENTICATED": UnauthenticatedError,
    "FORBIDDEN": ForbiddenError,
}


def error_object(error: GongjianError) -> Error:
    """The GraphQL error type for an expected failure; others re-raise (and are masked)."""
    cls = ERROR_TYPES.get(error.code)
    if cls is None:
        raise error
    field = error.details.get("field")
    extra = {}
    if cls is CapacityExceededError:
        extra["available"] = error.details.get("available")
    if cls is IllegalTransitionError:
        extra["allowed"] = list(error.details.get("allowed", []))
    return cls(code=error.code, message=error.message, field=field, **extra)


async def outcome(work: Awaitable[M], convert: Callable[[M], T]) -> T | Error:
    """A mutation's result: the converted object, or the typed error of an expected failure."""
    try:
        return convert(await work)
    except GongjianError as e:
        return error_object(e)


def input_values(obj: object) -> dict[str, object]:
    """A strawberry input as a dict of the values the caller gave (None left out)."""
    return {k: v for k, v in vars(obj).items() if v is not None}


def filter_values(obj: object) -> dict[str, object]:
    """A filter input as a dict, its AND / OR / NOT parts (``and_``, ``or_``, ``not_``)
    converted too."""
    values = input_values(obj)
    for key in ("and_", "or_"):
        if key in values:
            values[key] = [filter_values(part) for part in values[key]]  # type: ignore[attr-defined]
    if "not_" in values:
        values["not_"] = filter_values(values["not_"])
    return values


def list_arguments(
    filter: object | None,
    sort: Enum,
    descending: bool,
    sort_by: Sequence[SortInput] | None = None,
) -> dict[str, object]:
    """A list field's filter, sort and direction as the resolver takes them; ``sort_by``
    (inputs of ``field`` and ``direction``), when given, replaces sort and descending."""
    data: dict[str, object] = {
        **(filter_values(filter) if filter else {}),
        "sort": sort.value,
        "descending": descending,
    }
    if sort_by is not None:
        data["sort_by"] = [(s.field.value, s.direction is SortDirection.DESC) for s in sort_by]
    return data


@strawberry.type(description="a file to download: its name, media type, size and bytes (base64)")
class ExportFile:
    filename: str
    media_type: str
    size: int = strawberry.field(description="bytes")
    content_base64: str

    @classmethod
    def of(cls, filename: str, media_type: str, data: bytes) -> ExportFile:
        return cls(
            filename=filename, media_type=media_type, size=len(data),
            content_base64=base64.b64encode(data).decode("ascii"),
        )  # fmt: skip
