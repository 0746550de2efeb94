"""Unit (联系单位) types and queries."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain import models
from resolvers import projects as resolve_projects
from resolvers import resources as resolve_resources
from resolvers import units as resolve
from resolvers.context import Context
from schema.common import Connection, Node, UnitKind, connection, input_values, wants_total
from schema.convert import from_model

if TYPE_CHECKING:
    from schema.projects import Project
    from schema.resources import Resource

Info = strawberry.Info[Context, None]


@strawberry.type(
    description="单位: a county department, company, resident unit or social organization"
)
class Unit(Node):
    name: str
    kind: UnitKind
    party_org_name: str | None = strawberry.field(description="党组织名称")
    phone: str | None = strawberry.field(description="联系电话 of the unit's office")

    @strawberry.field
    def kind_label(self) -> str:
        return self.kind.label

    @strawberry.field(description="资源清单: what this unit offers")
    async def resources(
        self, info: Info
    ) -> list[Annotated[Resource, strawberry.lazy("schema.resources")]]:
        from schema.resources import resource_object  # noqa: PLC0415

        return [resource_object(r) for r in await resolve_resources.of_unit(info.context, self.id)]

    @strawberry.field(description="projects this unit leads")
    async def projects_led(
        self, info: Info
    ) -> list[Annotated[Project, strawberry.lazy("schema.projects")]]:
        from schema.projects import project_object  # noqa: PLC0415

        return [project_object(p) for p in await resolve_projects.led_by(info.context, self.id)]


def unit_object(model: models.Unit) -> Unit:
    return from_model(Unit, model)


@strawberry.input
class UnitFilter:
    scope: str | None = strawberry.field(
        default=None, description="units of this county, or liaising with places under this code"
    )
    kinds: list[UnitKind] | None = None
    text: str | None = strawberry.field(default=None, description="in the unit's name")


@strawberry.enum
class UnitSort(Enum):
    NAME = "name"
    KIND = "kind"
    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"


@strawberry.type
class UnitQuery:
    @strawberry.field
    async def unit(self, info: Info, id: strawberry.ID) -> Unit | None:
        found = await resolve.get(info.context, id)
        return unit_object(found) if found else None

    @strawberry.field(description="Units, filtered and sorted, a page at a time")
    async def units(
        self,
        info: Info,
        filter: UnitFilter | None = None,
        sort: UnitSort = UnitSort.NAME,
        descending: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Unit]:
        data = {
            **(input_values(filter) if filter else {}),
            "sort": sort.value,
            "descending": descending,
        }
        found = await resolve.search(info.context, data, first, after, wants_total(info))
        return connection(found, unit_object)
