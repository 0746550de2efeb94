"""strawberry's ASGI view, made to follow GraphQL over HTTP to the letter.

- ``application/graphql-response+json`` is negotiated from Accept; with it, a
  request that fails before execution (parse, validation, variables) answers
  400 with no ``data`` entry.
- a fresh Context (store, DataLoaders, round-trip counter) per request.
- GraphiQL from local files.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from cross_web.exceptions import HTTPException
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from access.middleware import principal_of
from access.tokens import Authenticator
from app import graphiql
from app.metrics import Metrics
from app.response_cap import encode_capped
from app.settings import Settings
from domain.errors import GongjianError, ResponseTooLarge, Unauthenticated
from graph.store import Store, count_round_trips
from resolvers.context import Context

log = logging.getLogger(__name__)

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def _accepts_graphql_response(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return GRAPHQL_RESPONSE_JSON in accept or "application/*" in accept


@dataclass
class SocketContext(Context):
    """A WebSocket connection's context: strawberry puts the ``connection_init``
    payload here before ``on_ws_connect`` reads the token from it."""

    connection_params: dict[str, Any] | None = None


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self,
        *,
        store: Store,
        settings: Settings,
        metrics: Metrics,
        authenticator: Authenticator | None = None,
        **kw: Any,
    ) -> None:
        # graphql-transport-ws only: the legacy graphql-ws protocol is not offered
        super().__init__(
            **kw, graphql_ide="graphiql", allow_queries_via_get=True,
            multipart_uploads_enabled=True, subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )  # fmt: skip
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.authenticator = authenticator

    async def on_ws_connect(self, context: Context) -> None:
        """Authenticate a WebSocket from its ``connection_init`` payload
        (``{"Authorization": "Bearer …"}``); refused: close code 4403."""
        params = getattr(context, "connection_params", None) or {}
        header = params.get("Authorization", params.get("authorization"))
        if self.authenticator is None or not isinstance(header, str):
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        try:
            principal = await self.authenticator.authenticate(header)
        except Unauthenticated as e:
            raise ConnectionRejectionError({"code": e.code}) from e
        if principal.anonymous:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        context.principal = principal

    async def get_context(self, request: Request | WebSocket, response: Any = None) -> Context:
        kind = SocketContext if isinstance(request, WebSocket) else Context
        ctx = kind.for_request(
            self.store,
            principal=principal_of(request),
            max_page_size=self.settings.max_page_size,
            limits=self.settings.limits,
            public_read=self.settings.public_read,
        )
        ctx.file_limits = self.settings.file_limits
        ctx.round_trips = count_round_trips()
        request.state.round_trips = ctx.round_trips
        return ctx

    def encode_json(self, data: object) -> bytes:
        """UTF-8 as it is: Chinese text is not escaped (a third of the size, readable);
        past GONGJIAN_MAX_RESPONSE_BYTES, ResponseTooLarge (the body is not built)."""
        return encode_capped(data, self.settings.max_response_bytes)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(graphiql.page())

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            data["errors"] = [format_error(error) for error in result.errors]
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
        problem = await _check_request(request)
        if problem is not None:
            status, message = problem
            headers = {"Allow": "POST"} if status == 405 else None
            return JSONResponse({"errors": [{"message": message}]}, status, headers=headers)
        try:
            response = await self.run(request)
        except HTTPException as e:
            return JSONResponse({"errors": [{"message": e.reason}]}, status_code=e.status_code)
        except ResponseTooLarge as e:
            log.warning("response refused: over %d bytes", self.settings.max_response_bytes)
            body = {"data": None, "errors": [{"message": e.message, "extensions": {
                "code": e.code, "limit": "responseBytes", "maximum": e.details["maximum"],
            }}]}  # fmt: skip
            return JSONResponse(body, 200)
        is_json = response.headers.get("content-type", "").startswith("application/json")
        if is_json and _accepts_graphql_response(request):
            response.headers["content-type"] = GRAPHQL_RESPONSE_JSON
            if request.state.request_error:
                response.status_code = 400
        return response


_OBJECT_PARAMS = ("variables", "extensions")


async def _check_request(request: Request) -> tuple[int, str] | None:
    """What GraphQL over HTTP refuses before execution: (status, message) or None."""
    if request.method == "GET":
        if "text/html" in request.headers.get("accept", "") and "query" not in request.query_params:
            return None  # GraphiQL
        params: dict[str, Any] = dict(request.query_params)
        for name in _OBJECT_PARAMS:
            if name in params:
                try:
                    params[name] = json.loads(params[name])
                except ValueError:
                    return 400, f"{name} 不是合法的 JSON (the {name} parameter is not JSON)"
    elif request.method == "POST":
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            return None
        if not content_type.startswith(("application/json", "application/graphql-response+json")):
            return 415, "请求体应为 application/json (POST a JSON body)"
        body = await request.body()
        if not body:
            return 400, "请求体为空 (the request body is empty)"
        try:
            params = json.loads(body)
        except ValueError:
            return 400, "请求体不是合法的 JSON (the request body is not JSON)"
        if isinstance(params, list):
            return 400, "不支持批量请求 (batched requests are not supported)"
        if not isinstance(params, dict):
            return 400, "请求体应为 JSON 对象 (the body must be a JSON object)"
    else:
        return None
    query = params.get("query")
    if not isinstance(query, str) or not query.strip():
        return 400, "缺少 query 参数，或其不是字符串 (query must be a non-empty string)"
    operation_name = params.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        return 400, "operationName 应为字符串 (operationName must be a string)"
    for name in _OBJECT_PARAMS:
        value = params.get(name)
        if value is not None and not isinstance(value, dict):
            return 400, f"{name} 应为 JSON 对象 ({name} must be an object)"
    if request.method == "GET" and _is_mutation(query, operation_name):
        return 405, "变更操作须用 POST (mutations must be sent with POST)"
    return None


def _is_mutation(query: str, operation_name: str | None) -> bool:
    try:
        document = parse(query)
    except GraphQLError:
        return False
    operation = get_operation_ast(document, operation_name)
    return operation is not None and operation.operation is OperationType.MUTATION


def format_error(error: GraphQLError) -> dict[str, Any]:
    """A GraphQL error for the client: expected failures carry their stable code;
    anything unexpected is masked (an id to quote) and logged with its traceback."""
    formatted: dict[str, Any] = dict(error.formatted)
    original = error.original_error
    if isinstance(original, GongjianError):
        extensions = {"code": original.code}
        if "field" in original.details:
            extensions["field"] = original.details["field"]
        formatted["extensions"] = {**formatted.get("extensions", {}), **extensions}
    elif original is not None and not isinstance(original, GraphQLError):
        error_id = uuid.uuid4().hex[:12]
        log.error("unexpected error %s at %s", error_id, error.path, exc_info=original)
        formatted["message"] = f"内部错误，编号 {error_id} (internal error; quote this id)"
        formatted["extensions"] = {"code": "INTERNAL", "errorId": error_id}
    return formatted
