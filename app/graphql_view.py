"""strawberry's ASGI view, made to follow GraphQL over HTTP to the letter.

- ``application/graphql-response+json`` is negotiated from Accept; with it, a
  request that fails before execution (parse, validation, variables) answers
  400 with no ``data`` entry.
- a fresh Context (store, DataLoaders, round-trip counter) per request.
- GraphiQL from local files.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from graphql import ExecutionResult
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse

from app import graphiql
from app.metrics import Metrics
from app.settings import Settings
from graph.store import Store, count_round_trips
from resolvers.context import Context

log = logging.getLogger(__name__)

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def _accepts_graphql_response(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return GRAPHQL_RESPONSE_JSON in accept or "application/*" in accept


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, *, store: Store, settings: Settings, metrics: Metrics, **kw: Any) -> None:
        super().__init__(**kw, graphql_ide="graphiql", allow_queries_via_get=True)
        self.store = store
        self.settings = settings
        self.metrics = metrics

    async def get_context(self, request: Request | WebSocket, response: Any = None) -> Context:
        ctx = Context.for_request(self.store, max_page_size=self.settings.max_page_size)
        ctx.round_trips = count_round_trips()
        ctx.extra["request"] = request
        request.state.round_trips = ctx.round_trips
        return ctx

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(graphiql.page())

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [error.formatted for error in result.errors]
            if result.data is None and all(error.path is None for error in result.errors):
                # the request never reached execution: parse, validation or variables
                request.state.request_error = True
                if _accepts_graphql_response(request):
                    del data["data"]
        if result.extensions:
            data["extensions"] = result.extensions
        return data

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        started = time.perf_counter()
        request.state.request_error = False
        response = await self._respond(request)
        trips = getattr(request.state, "round_trips", [0])[0]
        self.metrics.observe_request(
            request.method, time.perf_counter() - started, trips, response.status_code
        )
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        try:
            response = await self.run(request)
        except HTTPException as e:
            return Response(e.detail, status_code=e.status_code, headers=e.headers)
        if response.media_type == "application/json" or response.headers.get(
            "content-type", ""
        ).startswith("application/json"):
            if _accepts_graphql_response(request):
                response.headers["content-type"] = GRAPHQL_RESPONSE_JSON
                if request.state.request_error:
                    response.status_code = 400
        return response
