"""FalkorDB, embedded (a child process over a unix socket) or external (by URL)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from falkordb.asyncio import FalkorDB
from falkordb.asyncio.query_result import QueryResult
from redis import exceptions as redis_errors

from domain.errors import Conflict, LimitExceeded, StoreError, StoreUnavailable
from graph.backends import falkordb_rows
from graph.backends.base import Row, check_text
from graph.backends.embedded import EmbeddedServer
from graph.cypher import SENT, Statement, statement
from graph.guarded import base_name
from graph.model import FULLTEXT, INDEXES, LABELS

log = logging.getLogger(__name__)

_INDEXES_LIST = statement(
    "falkordb.indexes", "CALL db.indexes() YIELD label, properties, types", dialect="falkordb"
)
_CONSTRAINTS_LIST = statement(
    "falkordb.constraints",
    "CALL db.constraints() YIELD type, label, properties",
    dialect="falkordb",
)


def _range_index(label: str, prop: str) -> Statement:
    return statement(
        f"falkordb.index.{label}.{prop}",
        f"CREATE INDEX FOR (n:{label}) ON (n.{prop})",
        write=True,
        dialect="falkordb",
    )


def _fulltext_create(label: str, props: tuple[str, ...]) -> Statement:
    fields = ", ".join(f"'{p}'" for p in props)
    return statement(
        f"falkordb.fulltext.create.{label}",
        f"CALL db.idx.fulltext.createNodeIndex({{label: '{label}', language: 'chinese'}}, {fields})",
        write=True,
        dialect="falkordb",
    )


def _fulltext_query(label: str) -> Statement:
    return statement(
        f"falkordb.fulltext.query.{label}",
        f"CALL db.idx.fulltext.queryNodes('{label}', $text) YIELD node, score "
        "RETURN node.id AS id, score ORDER BY score DESC LIMIT $limit",
        dialect="falkordb",
    )


_RANGE = {(label, "id"): _range_index(label, "id") for label in LABELS} | {
    (label, prop): _range_index(label, prop) for label, prop in INDEXES
}
_FULLTEXT_CREATE = {ix.label: _fulltext_create(ix.label, ix.properties) for ix in FULLTEXT}
_FULLTEXT_QUERY = {ix.label: _fulltext_query(ix.label) for ix in FULLTEXT}


def _contains_query(label: str, props: tuple[str, ...]) -> Statement:
    """Nodes whose indexed text holds every word, by scanning: what Neo4j's cjk index
    finds. The index's chinese tokenizer cuts 桂圆林社区 as 桂圆 + 林 + 社区, so a run
    it split (桂圆林) finds nothing through the index; ``search`` falls back to this."""
    text = " + ' ' + ".join(f"coalesce(toString(n.{p}), '')" for p in props)
    return statement(
        f"falkordb.fulltext.contains.{label}",
        # the text inline: FalkorDB's list predicates do not see a WITH-projected variable
        f"MATCH (n:{label}) WHERE all(w IN $words WHERE toLower({text}) CONTAINS w) "
        "RETURN n.id AS id, 1.0 AS score ORDER BY n.id LIMIT $limit",
        dialect="falkordb",
    )


_CONTAINS_QUERY = {ix.label: _contains_query(ix.label, ix.properties) for ix in FULLTEXT}
_WIPE = statement("falkordb.wipe", "MATCH (n) DETACH DELETE n", write=True, dialect="falkordb")

_ALREADY = re.compile(r"already (indexed|exists)", re.I)

# RediSearch query syntax characters: searched text is reduced to words
_SEARCH_SYNTAX = re.compile(r"[^\w\s]", re.UNICODE)


def plain(value: Any) -> Any:
    """Driver values to plain Python: nodes and edges to their properties.

    >>> plain({"a": [1, "x", None, {"b": 2.5}]})
    {'a': [1, 'x', None, {'b': 2.5}]}
    """
    kind = type(value)  # scalars and plain containers first, by exact type: most values are
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is dict:
        return {k if type(k) is str else str(k): plain(v) for k, v in value.items()}
    if kind is list:
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    properties = getattr(value, "properties", None)
    if isinstance(properties, dict):
        return {str(k): plain(v) for k, v in properties.items()}
    return value


class FalkorBackend:
    """FalkorDB over a unix socket (embedded) or TCP (external)."""

    def __init__(
        self,
        *,
        graph: str,
        server: EmbeddedServer | None = None,
        unix_socket: str | None = None,
        host: str = "localhost",
        port: int = 6379,
        password: str | None = None,
        max_connections: int = 64,
    ) -> None:
        self.name = "falkordb-embedded" if server else "falkordb"
        self.graph_name = graph
        self.server = server
        self._unix_socket = unix_socket
        self._host, self._port, self._password = host, port, password
        self._max_connections = max_connections
        self._db: Any = None
        self._graph: Any = None
        self._restart_lock = asyncio.Lock()

    async def start(self) -> None:
        if self.server is not None:
            await asyncio.to_thread(self.server.start)
        where = self._unix_socket or f"{self._host}:{self._port}"
        try:
            self._connect()
            await self.ping()
        except redis_errors.AuthenticationError as e:
            raise StoreUnavailable(
                f"FalkorDB ({where}) 拒绝了密码；请检查 GONGJIAN_DB 中的密码 "
                "(FalkorDB refused the password in GONGJIAN_DB)"
            ) from e
        except (redis_errors.ConnectionError, OSError) as e:
            raise StoreUnavailable(
                f"无法连接 FalkorDB ({where})：请检查地址与服务 (FalkorDB does not answer)"
            ) from e

    def _connect(self) -> None:
        socket_path = str(self.server.socket_path) if self.server else self._unix_socket
        if socket_path is not None:
            self._db = FalkorDB(unix_socket_path=socket_path, max_connections=self._max_connections)
        else:
            self._db = FalkorDB(
                host=self._host,
                port=self._port,
                password=self._password,
                max_connections=self._max_connections,
            )
        self._graph = self._db.select_graph(self.graph_name)

    def redis(self) -> Any:
        """The server's Redis connection (FalkorDB is a Redis module), None before start;
        the rate limiter keeps its counters there."""
        return self._db.connection if self._db is not None else None

    async def close(self) -> None:
        if self._db is not None:
            await self._db.aclose()
            self._db = None
        if self.server is not None:
            await asyncio.to_thread(self.server.stop)

    async def _revive(self) -> bool:
        """Restart the embedded server if it died; True when it was restarted."""
        if self.server is None:
            return False
        async with self._restart_lock:
            if self.server.alive():
                return False
            await asyncio.to_thread(self.server.restart)
            old = self._db
            self._connect()
            if old is not None:
                await old.aclose()
            return True

    async def run(
        self, stmt: Statement, params: Mapping[str, Any], *, timeout_ms: int | None = None
    ) -> list[Row]:
        if self._graph is None:
            raise StoreUnavailable("数据库尚未连接 (the store is not started)")
        if self.server is not None and not self.server.alive():
            await self._revive()
        try:
            return await self._query(stmt, params, timeout_ms)
        except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError) as e:
            restarted = await self._revive()
            if restarted and (not stmt.write or stmt.idempotent):
                log.warning("retrying %s after the embedded database restarted", stmt.name)
                return await self._query(stmt, params, timeout_ms)
            raise StoreUnavailable(
                "数据库连接中断；请稍后重试 (the graph database connection was lost; "
                f"retry the request){' — the embedded database was restarted' if restarted else ''}",
                statement=stmt.name,
            ) from e

    async def _query(
        self, stmt: Statement, params: Mapping[str, Any], timeout_ms: int | None
    ) -> list[Row]:
        check_text(params)
        SENT["falkordb"].add(stmt.name)
        try:
            try:
                return await self._read(stmt.text, dict(params), stmt.write, timeout_ms)
            except redis_errors.ResponseError as e:
                if "empty key" not in str(e) or stmt.write:
                    raise
                # a read-only query cannot create the graph; reads of a graph that was
                # never written still answer (count 0, no rows)
                return await self._read(stmt.text, dict(params), True, timeout_ms)
        except redis_errors.ResponseError as e:
            raise _translate(e, stmt) from e

    async def _read(
        self, text: str, params: dict[str, Any], write: bool, timeout_ms: int | None
    ) -> list[Row]:
        """The rows of one command, read by ``falkordb_rows`` (the driver's parse for a
        reply holding nodes, edges or other values, and for an error reply, which it raises)."""
        reply = await self._graph.execute_command(
            *falkordb_rows.command(self._graph, text, params, write=write, timeout=timeout_ms)
        )
        return await self._rows_of(reply)

    async def _rows_of(self, reply: list[Any]) -> list[Row]:
        try:
            return falkordb_rows.rows_of(reply)
        except falkordb_rows.Unplain:
            result = QueryResult(self._graph)
            await result.parse(reply)
            return _rows(result)

    async def run_locked(
        self,
        lock_ids: Sequence[str],
        stmt: Statement,
        params: Mapping[str, Any],
        *,
        timeout_ms: int | None = None,
    ) -> list[Row]:
        # FalkorDB runs write queries on a graph one at a time: one statement that
        # checks and writes is already serialised against every other writer.
        return await self.run(stmt, params, timeout_ms=timeout_ms)

    async def run_atomic(
        self,
        steps: Sequence[tuple[Statement, Mapping[str, Any]]],
        *,
        lock_ids: Sequence[str] = (),
        timeout_ms: int | None = None,
    ) -> list[list[Row]]:
        """One MULTI/EXEC block: Redis runs it with no other command in between and
        writes it to the append-only file as one block (fsync'd before the reply); a
        block torn by a crash is dropped when the file is loaded (aof-load-truncated). FalkorDB runs writes
        one at a time, so ``lock_ids`` need no lock here."""
        if self._graph is None:
            raise StoreUnavailable("数据库尚未连接 (the store is not started)")
        if self.server is not None and not self.server.alive():
            await self._revive()
        for stmt, params in steps:
            if not stmt.write:
                raise ValueError(f"{stmt.name}: an atomic unit holds writes only")
            check_text(params)
            SENT["falkordb"].add(stmt.name)
            # an audited variant holds its write statement's text whole: that ran too
            SENT["falkordb"].add(base_name(stmt.name))
        try:
            async with self._db.connection.pipeline(transaction=True) as pipe:
                for stmt, params in steps:
                    text = self._graph._build_params_header(dict(params)) + stmt.text
                    command = ["GRAPH.QUERY", self.graph_name, text, "--compact"]
                    if timeout_ms:
                        command += ["timeout", timeout_ms]
                    pipe.execute_command(*command)
                replies = await pipe.execute()
        except redis_errors.ResponseError as e:
            raise _translate(e, steps[0][0]) from e
        except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError) as e:
            restarted = await self._revive()
            raise StoreUnavailable(
                "数据库连接中断；写入未确认，请核对后重试 (the graph database connection was lost; "
                f"check and retry){' — the embedded database was restarted' if restarted else ''}",
                statement=steps[0][0].name,
            ) from e
        out: list[list[Row]] = []
        for reply in replies:
            out.append(await self._rows_of(reply))
        return out

    async def migrate(self) -> list[str]:
        created: list[str] = []
        existing = {
            (row["label"], prop): set(types.get(prop, []) if isinstance(types, dict) else [])
            for row in await self._existing(_INDEXES_LIST)
            for types in [row["types"]]
            for prop in row["properties"]
        }
        for (label, prop), stmt in _RANGE.items():
            if "RANGE" not in existing.get((label, prop), set()) and await self._create(stmt):
                created.append(f"index {label}.{prop}")
        for ix in FULLTEXT:
            if not any(
                "FULLTEXT" in existing.get((ix.label, p), set()) for p in ix.properties
            ) and await self._create(_FULLTEXT_CREATE[ix.label]):
                created.append(f"fulltext {ix.label}({', '.join(ix.properties)}) chinese")
        constraints = {
            (row["label"], tuple(row["properties"]))
            for row in await self._existing(_CONSTRAINTS_LIST)
            if row["type"] == "UNIQUE"
        }
        for label in LABELS:
            if (label, ("id",)) not in constraints:
                try:
                    await self._db.connection.execute_command(
                        "GRAPH.CONSTRAINT", "CREATE", self.graph_name,
                        "UNIQUE", "NODE", label, "PROPERTIES", "1", "id",
                    )  # fmt: skip
                except redis_errors.ResponseError as e:
                    if not _ALREADY.search(str(e)):
                        raise
                    continue
                created.append(f"unique {label}.id")
        return created

    async def _create(self, stmt: Statement) -> bool:
        """Run an index statement; False when another process created it meanwhile
        (several API processes starting at once on a new graph)."""
        try:
            await self.run(stmt, {})
        except StoreError as e:
            if isinstance(e.__cause__, redis_errors.ResponseError) and _ALREADY.search(
                str(e.__cause__)
            ):
                return False
            raise
        return True

    async def _existing(self, stmt: Statement) -> list[Row]:
        graphs = await self._db.list_graphs()
        return await self.run(stmt, {}) if self.graph_name in graphs else []

    async def search(self, label: str, text: str, limit: int) -> list[Row]:
        words = " ".join(_SEARCH_SYNTAX.sub(" ", text).split())
        if not words:
            return []
        rows = await self.run(_FULLTEXT_QUERY[label], {"text": words, "limit": limit})
        if rows:
            return rows
        terms = [w.lower() for w in words.split()]
        return await self.run(_CONTAINS_QUERY[label], {"words": terms, "limit": limit})

    async def ping(self) -> dict[str, Any]:
        if self._db is None:
            raise StoreUnavailable("数据库尚未连接 (the store is not started)")
        if self.server is not None and not self.server.alive():
            await self._revive()
        try:
            await self._db.connection.ping()
        except (redis_errors.ConnectionError, OSError) as e:
            if await self._revive():
                await self._db.connection.ping()
            else:
                raise StoreUnavailable(f"无法连接 FalkorDB：{e} (FalkorDB does not answer)") from e
        facts: dict[str, Any] = {"backend": self.name, "graph": self.graph_name}
        if self.server is not None:
            facts |= {
                "dataDir": str(self.server.data_dir),
                "pid": self.server.pid,
                "restarts": self.server.restarts,
            }
        return facts

    async def wipe(self) -> None:
        await self.run(_WIPE, {})


def _rows(result: Any) -> list[Row]:
    columns = [
        str(column[1]) if isinstance(column, list) else str(column) for column in result.header
    ]
    return [dict(zip(columns, (plain(v) for v in row), strict=True)) for row in result.result_set]


def _translate(error: redis_errors.ResponseError, stmt: Statement) -> Exception:
    text = str(error)
    if "unique constraint violation" in text:
        return Conflict(
            "与已有数据的唯一编号冲突 (a node with this id already exists)", statement=stmt.name
        )
    if "timed out" in text.lower():
        return LimitExceeded(
            "查询超时：请缩小范围或分页 (the query ran past its time limit; narrow it or page it)",
            statement=stmt.name,
        )
    return StoreError(f"数据库拒绝了语句 {stmt.name}: {text}", statement=stmt.name)
