"""The redacting log handler: what each kind of record looks like once it is written."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from graphql import GraphQLError, Source

from app.logs import (
    JsonFormatter,
    Redact,
    RequestIdFilter,
    TextFormatter,
    configure_logging,
    install_everywhere,
    redact,
    redact_url,
    request_id,
)
from app.request_id import sane_request_id
from domain.errors import InvalidInput, StoreUnavailable


@pytest.fixture
def written() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger whose records go through a handler like the one serve installs."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(Redact())
    handler.setFormatter(TextFormatter())
    logger = logging.getLogger("tests.logs.written")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, stream
    logger.removeHandler(handler)


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("db neo4j://neo4j:s3cr3t-pw@db:7687 down", "s3cr3t-pw"),
        ("redis://:p4ss@127.0.0.1:6379/0", "p4ss"),
        ("falkordb://admin:%E5%AF%86@host:6379", "%E5%AF%86"),
        ("Authorization: Bearer abcdefghijklmnop", "abcdefghijklmnop"),
        ("headers={'authorization': 'Basic dXNlcjpwYXNz'}", "dXNlcjpwYXNz"),
        ("token gj_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg", "AbCdEfGhIjKlMnOp"),
        ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "eyJzdWIiOiIxIn0"),
        ("password=hunter22 user=x", "hunter22"),
        ("联系 13812341234 或 +86 139-1234-5678", "13812341234"),
        ("联系 13812341234 或 +86 139-1234-5678", "1234-5678"),
        ("座机 0830-5212345 转 8", "5212345"),
        ("北京 010 87654321", "87654321"),
        ("身份证 51052219800101123X 与 510522198001011234", "19800101123"),
        ("old id 510522800101123", "510522800101123"),
        ("两个号码 13812341234,13912345678", "13912345678"),
    ],
)
def test_redact_hides_secrets_and_numbers(text: str, hidden: str) -> None:
    assert hidden not in redact(text)


def test_redact_keeps_what_an_operator_needs() -> None:
    for text in (
        "community 510522001006 in county 510522000000",  # division codes are not people
        "2026-12-02 15:49:10,201 took 23.2 ms, 1764660000123 epoch ms",
        "GET /graphql 200",
        "neo4j://db:7687 (no password)",
        "Transaction failed and will be retried in 14.0830521234s",  # a decimal, not a phone
        "ratio 0.13812341234 of 108305212345.5 rows",
    ):
        assert redact(text) == text
    assert redact_url("neo4j://neo4j:pw@db:7687") == "neo4j://neo4j:***@db:7687"
    assert redact_url("embedded:./data") == "embedded:./data"


def test_strawberry_errors_become_a_summary_without_document_or_values(
    written: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = written
    source = Source('{ people(filter: {text: "欧阳修 13812341234"}) { nodes { name ')
    parse_error = GraphQLError(
        "Syntax Error: Expected Name, found <EOF>.", source=source, positions=[60]
    )
    assert "欧阳修" in str(parse_error)  # what strawberry would have written
    wrong_value = GraphQLError("Variable '$n' got invalid value '张三丰'; Int cannot represent")
    failed = GraphQLError(
        "x", path=["people", 0, "name"], original_error=InvalidInput("张三丰 不对")
    )
    strawberry = logging.getLogger("strawberry.execution")
    for error in (parse_error, wrong_value, failed):
        record = strawberry.makeRecord(
            "strawberry.execution", logging.ERROR, __file__, 1, error, None, None
        )
        for f in logger.handlers[0].filters:
            f.filter(record)
        stream.write(logger.handlers[0].format(record) + "\n")
    text = stream.getvalue()
    assert "欧阳修" not in text and "张三丰" not in text and "13812341234" not in text
    assert "GraphQL error at people.0.name: INVALID_INPUT" in text
    assert text.count("GraphQL request error at (document)") == 2


def test_access_lines_lose_their_query_string(written: tuple[logging.Logger, io.StringIO]) -> None:
    logger, _ = written
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/graphql?query=%7Bpeople(text%3A%22%E5%BC%A0%22)", "1.1", 200),
        None,
    )  # fmt: skip
    for f in logger.handlers[0].filters:
        f.filter(record)
    line = logger.handlers[0].format(record)
    assert line.endswith('"GET /graphql HTTP/1.1" 200') and "query" not in line


def test_exceptions_keep_their_frames_and_lose_their_messages(
    written: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = written

    def parse_person(value: str) -> None:
        raise ValueError(f"bad person {value}")

    try:
        try:
            parse_person("诸葛亮 13812341234")
        except ValueError as e:
            raise InvalidInput(f"不能解析 {e}") from e
    except InvalidInput:
        logger.exception("loading failed")
    try:
        raise StoreUnavailable("无法连接 FalkorDB (db:6379)")
    except StoreUnavailable:
        logger.exception("start failed")
    text = stream.getvalue()
    assert "诸葛亮" not in text and "13812341234" not in text
    assert "parse_person" in text and "builtins.ValueError" in text
    assert "code INVALID_INPUT" in text
    assert "无法连接 FalkorDB (db:6379)" in text  # an operator's error keeps what to fix


def test_json_lines_carry_the_request_id() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(Redact())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.logs.json")
    logger.addHandler(handler)
    logger.propagate = False
    token = request_id.set("req-42")
    try:
        logger.warning("user %s called from 13812341234", "x")
        try:
            raise ValueError("王五")
        except ValueError:
            logger.exception("boom")
    finally:
        request_id.reset(token)
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["request_id"] == "req-42" and first["level"] == "WARNING"
    assert "13812341234" not in first["message"] and first["logger"] == "tests.logs.json"
    assert "ValueError" in second["exc"] and "王五" not in json.dumps(second, ensure_ascii=False)


def test_configure_logging_covers_third_party_handlers() -> None:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    foreign = logging.getLogger("tests.logs.thirdparty")
    foreign.addHandler(logging.StreamHandler(stream))
    foreign.propagate = False
    try:
        configure_logging("INFO", "text")
        install_everywhere()
        foreign.error("connecting to neo4j://neo4j:topsecret@db:7687 for 13812341234")
        assert "topsecret" not in stream.getvalue() and "13812341234" not in stream.getvalue()
        assert "neo4j://neo4j:***@db:7687" in stream.getvalue()
        assert all(any(isinstance(f, Redact) for f in h.filters) for h in root.handlers)
    finally:
        foreign.handlers.clear()
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])


def test_request_ids_from_callers_are_taken_only_when_sane() -> None:
    assert sane_request_id("0f8e-42.a:b_c") == "0f8e-42.a:b_c"
    for bad in (None, "", "a b", "x\ninjected", "张三", "a" * 65, "-leading"):
        made = sane_request_id(bad)
        assert made != bad and len(made) == 32 and made.isalnum()
