"""``me``: who the request's token says the caller is (a client opens on its own place)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from access.principal import AccessRole, is_place_code
from domain.clock import ms_to_datetime
from resolvers.context import Context
from schema.common import Node
from schema.node import fetch_node

Info = strawberry.Info[Context, None]

strawberry.enum(AccessRole, name="AccessRole", description="调用者的角色 (what a token may do)")


@strawberry.type(description="The caller of this request, as its token says (never its subject)")
class Caller:
    role: AccessRole | None = strawberry.field(description="null for an anonymous caller")
    role_label: str | None = strawberry.field(description="the role in Chinese (县级管理员…)")
    scope: str | None = strawberry.field(
        description="the scope: a 12-digit division code, or a unit operator's unit id"
    )
    county: str | None = strawberry.field(
        description="the 12-digit code of the scope's county (a city admin: null)"
    )
    expires_at: datetime | None = strawberry.field(description="when the token expires")

    @strawberry.field(
        description="the scope's place (county, street or community) or unit, when readable"
    )
    async def home(self, info: Info) -> Node | None:
        if self.scope is None:
            return None
        return await fetch_node(info.context, self.scope)


@strawberry.type
class CallerQuery:
    @strawberry.field(description="Who the caller is: role, scope and its place or unit")
    def me(self, info: Info) -> Caller:
        p = info.context.principal
        county = p.county if p.county and is_place_code(p.county) else None
        if p.role is AccessRole.CITY_ADMIN:
            county = None
        return Caller(
            role=p.role,
            role_label=p.role.label if p.role else None,
            scope=p.scope,
            county=county,
            expires_at=ms_to_datetime(p.expires_at) if p.expires_at else None,
        )
