"""Neo4j 5 through the official async driver (production, clusters)."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

import neo4j
from neo4j import exceptions as neo4j_errors

from domain.errors import ConfigError, Conflict, LimitExceeded, StoreError, StoreUnavailable
from graph.backends.base import Row, check_text
from graph.cypher import SENT, Statement, statement
from graph.guarded import base_name
from graph.model import FULLTEXT, INDEXES, LABELS

_SAFE_NAME = re.compile(r"[^A-Za-z0-9_]")


def _no_bolt_messages(record: logging.LogRecord) -> bool:
    return record.levelno > logging.DEBUG


# At DEBUG the driver logs every Bolt message with its parameters: names and phone numbers.
# Those records are dropped whatever level a deployment sets.
logging.getLogger("neo4j.io").addFilter(_no_bolt_messages)


def _constraint(label: str) -> Statement:
    return statement(
        f"neo4j.unique.{label}",
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.id IS UNIQUE",
        write=True,
        dialect="neo4j",
    )


def _index(label: str, prop: str) -> Statement:
    return statement(
        f"neo4j.index.{label}.{prop}",
        f"CREATE INDEX {label.lower()}_{prop.lower()} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})",
        write=True,
        dialect="neo4j",
    )


def _fulltext_create(name: str, label: str, props: tuple[str, ...]) -> Statement:
    fields = ", ".join(f"n.{p}" for p in props)
    return statement(
        f"neo4j.fulltext.create.{label}",
        f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR (n:{label}) ON EACH [{fields}] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
        write=True,
        dialect="neo4j",
    )


_CONSTRAINTS = [_constraint(label) for label in LABELS]
_INDEXES = [_index(label, prop) for label, prop in INDEXES]
_FULLTEXT_CREATE = [_fulltext_create(ix.name, ix.label, ix.properties) for ix in FULLTEXT]
_FULLTEXT_QUERY = statement(
    "neo4j.fulltext.query",
    "CALL db.index.fulltext.queryNodes($index, $text, {limit: $limit}) YIELD node, score "
    "RETURN node.id AS id, score ORDER BY score DESC",
    dialect="neo4j",
)
_FULLTEXT_INDEX_NAMES = {ix.label: ix.name for ix in FULLTEXT}
_LOCK = statement(
    "neo4j.lock",
    "MATCH (n:Resource) WHERE n.id IN $ids SET n._lock = true REMOVE n._lock RETURN count(n) AS locked",
    write=True,
    dialect="neo4j",
)
_WIPE_BATCH = statement(
    "neo4j.wipe",
    "MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted",
    write=True,
    dialect="neo4j",
)
#: constraints own an index of the same name, so one list names every schema object
_SCHEMA_NAMES = statement(
    "neo4j.schema.names",
    "SHOW INDEXES YIELD name RETURN collect(name) AS names",
    dialect="neo4j",
)
_COMPONENTS = statement(
    "neo4j.components",
    "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition",
    dialect="neo4j",
)
# Lucene query syntax characters
_LUCENE = re.compile(r'[+\-&|!(){}\[\]^"~*?:\\/]')


_SCALARS = (str, int, float, bool, type(None))


def _schema_name(stmt: Statement) -> str:
    """The name a CREATE CONSTRAINT / INDEX statement gives its schema object."""
    return stmt.text.split(" IF NOT EXISTS", 1)[0].rsplit(" ", 1)[1]


def _plain(value: Any) -> Any:
    if type(value) in _SCALARS:  # most values: checked first, it is the hot path
        return value
    if isinstance(value, neo4j.graph.Node | neo4j.graph.Relationship):
        return {k: _plain(v) for k, v in dict(value).items()}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def parse_neo4j_url(url: str) -> tuple[str, tuple[str, str] | None, str | None]:
    """``neo4j://user:pass@host:7687/dbname`` -> (uri without credentials, auth, database)."""
    parts = urlsplit(url)
    if parts.scheme not in {"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"}:
        raise ConfigError(f"不是 Neo4j 地址：{parts.scheme}:// (expected neo4j:// or bolt://)")
    if not parts.hostname:
        raise ConfigError("Neo4j 地址缺少主机名 (the Neo4j URL has no host)")
    auth = None
    if parts.username:
        auth = (unquote(parts.username), unquote(parts.password or ""))
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    database = parts.path.strip("/") or None
    return f"{parts.scheme}://{netloc}", auth, database


#: failures a managed transaction retries with back-off
_RETRYABLE = (
    neo4j_errors.TransientError,
    neo4j_errors.SessionExpired,
    neo4j_errors.ServiceUnavailable,
)


class Neo4jBackend:
    """Neo4j 5: each statement in its own transaction. A read goes out as an auto-commit
    transaction (BEGIN and COMMIT cost a round trip of their own), and again in a managed
    one, which the driver retries, if that fails transiently; writes are managed."""

    name = "neo4j"

    def __init__(self, uri: str, auth: tuple[str, str] | None, database: str | None) -> None:
        self._uri, self._auth, self._database = uri, auth, database
        self._driver: neo4j.AsyncDriver | None = None

    async def start(self) -> None:
        # notifications (unknown labels on an empty graph, planner hints) are noise in logs
        self._driver = neo4j.AsyncGraphDatabase.driver(
            self._uri, auth=self._auth, notifications_min_severity="OFF"
        )
        await self.ping()

    async def close(self) -> None:
        if self._driver is not None:
            await self._driver.close()
            self._driver = None

    def _session(self) -> neo4j.AsyncSession:
        if self._driver is None:
            raise StoreUnavailable("数据库尚未连接 (the store is not started)")
        return self._driver.session(database=self._database)

    async def run(
        self, stmt: Statement, params: Mapping[str, Any], *, timeout_ms: int | None = None
    ) -> list[Row]:
        return await self.run_locked((), stmt, params, timeout_ms=timeout_ms)

    async def run_locked(
        self,
        lock_ids: Sequence[str],
        stmt: Statement,
        params: Mapping[str, Any],
        *,
        timeout_ms: int | None = None,
    ) -> list[Row]:
        check_text(params)

        async def work(tx: neo4j.AsyncManagedTransaction) -> list[Row]:
            if lock_ids:
                SENT["neo4j"].add(_LOCK.name)
                await (await tx.run(_LOCK.text, {"ids": list(lock_ids)})).consume()
            SENT["neo4j"].add(stmt.name)
            result = await tx.run(stmt.text, dict(params))
            return [{k: _plain(record[k]) for k in record.keys()} async for record in result]  # noqa: SIM118 - a Record, not a dict

        timeout = timeout_ms / 1000 if timeout_ms else None
        transaction = neo4j.unit_of_work(timeout=timeout)(work)
        try:
            if not stmt.write and not lock_ids:
                try:
                    return await self._read(stmt, params, timeout)
                except _RETRYABLE:
                    pass  # the managed transaction below retries with back-off
            async with self._session() as session:
                if stmt.write:
                    return await session.execute_write(transaction)
                return await session.execute_read(transaction)
        except neo4j_errors.ConstraintError as e:
            raise Conflict(
                "与已有数据的唯一编号冲突 (a node with this id already exists)", statement=stmt.name
            ) from e
        except neo4j_errors.ClientError as e:
            if "TransactionTimedOut" in (e.code or ""):
                raise LimitExceeded(
                    "查询超时：请缩小范围或分页 (the query ran past its time limit)",
                    statement=stmt.name,
                ) from e
            raise StoreError(f"数据库拒绝了语句 {stmt.name}: {e.message}") from e
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as e:
            raise StoreUnavailable(
                f"无法连接 Neo4j：{e} (Neo4j does not answer; retry)", statement=stmt.name
            ) from e

    async def run_atomic(
        self,
        steps: Sequence[tuple[Statement, Mapping[str, Any]]],
        *,
        lock_ids: Sequence[str] = (),
        timeout_ms: int | None = None,
    ) -> list[list[Row]]:
        """Every statement in one explicit transaction (committed once, retried whole),
        holding the write locks of ``lock_ids`` (resources) first."""

        for _, params in steps:
            check_text(params)

        async def work(tx: neo4j.AsyncManagedTransaction) -> list[list[Row]]:
            if lock_ids:
                SENT["neo4j"].add(_LOCK.name)
                await (await tx.run(_LOCK.text, {"ids": list(lock_ids)})).consume()
            out: list[list[Row]] = []
            for stmt, params in steps:
                SENT["neo4j"].add(stmt.name)
                SENT["neo4j"].add(base_name(stmt.name))
                result = await tx.run(stmt.text, dict(params))
                rows = [{k: _plain(record[k]) for k in record.keys()} async for record in result]  # noqa: SIM118 - a Record
                out.append(rows)
            return out

        timeout = timeout_ms / 1000 if timeout_ms else None
        name = steps[0][0].name if steps else "atomic"
        try:
            async with self._session() as session:
                return await session.execute_write(neo4j.unit_of_work(timeout=timeout)(work))
        except neo4j_errors.ConstraintError as e:
            raise Conflict(
                "与已有数据的唯一编号冲突 (a node with this id already exists)", statement=name
            ) from e
        except neo4j_errors.ClientError as e:
            raise StoreError(f"数据库拒绝了语句 {name}: {e.message}") from e
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as e:
            raise StoreUnavailable(
                f"无法连接 Neo4j：{e} (Neo4j does not answer; retry)", statement=name
            ) from e

    async def _read(
        self, stmt: Statement, params: Mapping[str, Any], seconds: float | None
    ) -> list[Row]:
        if self._driver is None:
            raise StoreUnavailable("数据库尚未连接 (the store is not started)")
        SENT["neo4j"].add(stmt.name)
        session = self._driver.session(
            database=self._database, default_access_mode=neo4j.READ_ACCESS
        )
        async with session:
            result = await session.run(neo4j.Query(stmt.text, timeout=seconds), dict(params))
            return [{k: _plain(record[k]) for k in record.keys()} async for record in result]  # noqa: SIM118 - a Record, not a dict

    async def migrate(self) -> list[str]:
        created = []
        [row] = await self.run(_SCHEMA_NAMES, {})
        existing = set(row["names"])
        for stmt in [*_CONSTRAINTS, *_INDEXES, *_FULLTEXT_CREATE]:
            if _schema_name(stmt) in existing:
                continue
            SENT["neo4j"].add(stmt.name)
            async with self._session() as session:
                result = await session.run(stmt.text)
                summary = await result.consume()
            if summary.counters.constraints_added or summary.counters.indexes_added:
                created.append(stmt.name)
        return created

    async def search(self, label: str, text: str, limit: int) -> list[Row]:
        words = _LUCENE.sub(" ", text).split()
        if not words:
            return []
        # every word, each as a phrase: the cjk analyzer cuts 桂圆林 into the bigrams 桂圆 圆林,
        # and Lucene's default OR would find whatever holds any one of them; as FalkorDB does,
        # a hit holds all the words
        query = " AND ".join(f'"{word}"' for word in words)
        params = {"index": _FULLTEXT_INDEX_NAMES[label], "text": query, "limit": limit}
        return await self.run(_FULLTEXT_QUERY, params)

    async def ping(self) -> dict[str, Any]:
        rows = await self.run(_COMPONENTS, {})
        version = rows[0]["versions"][0] if rows else "?"
        return {"backend": self.name, "uri": self._uri, "version": version}

    async def wipe(self) -> None:
        while (await self.run(_WIPE_BATCH, {}))[0]["deleted"]:
            pass
