"""Webhooks: configuration, signed posts, retries with backoff, the state in the graph,
and two API servers on one graph posting each notice once per hook."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from pathlib import Path

import httpx
import pytest

from app.http import create_app
from domain.errors import ConfigError
from graph.queries import notices as q
from graph.store import Store
from notices.delivery import Deliverer, RetryPolicy
from notices.webhooks import parse_webhooks
from tests.conftest import server_settings
from tests.http_server import free_port, serve
from tests.notices.hooks import SECRET, check_signed, receiver
from tests.notices.places import COUNTY_A, COUNTY_B, STREET_A1, UNIT_A1, UNIT_A2, UNIT_B, notify


def test_webhooks_are_read_inline_or_from_a_file(tmp_path: Path) -> None:
    raw = json.dumps(
        [
            {"name": "sms", "url": "https://gw.example/hook", "secret": SECRET},
            {"name": "wx-1", "url": "http://10.0.0.1:8080/", "secret": SECRET,
             "kinds": ["OVERDUE"], "scope": STREET_A1},
        ]
    )  # fmt: skip
    inline = parse_webhooks(raw)
    (tmp_path / "hooks.json").write_text(raw)
    assert parse_webhooks(str(tmp_path / "hooks.json")) == inline
    assert [h.name for h in inline] == ["sms", "wx-1"]
    assert inline[1].kinds == ("OVERDUE",) and inline[1].prefix == STREET_A1[:9]
    assert SECRET not in repr(inline)
    assert parse_webhooks(None) == () == parse_webhooks("  ")


@pytest.mark.parametrize(
    "raw",
    [
        "{}",
        "[1]",
        '[{"name": "a", "url": "ftp://x/", "secret": "0123456789abcdef"}]',
        '[{"name": "a", "url": "http://x/", "secret": "short"}]',
        '[{"name": "A B", "url": "http://x/", "secret": "0123456789abcdef"}]',
        '[{"name": "a", "url": "http://x/", "secret": "0123456789abcdef", "scope": "5105"}]',
        '[{"name": "a", "url": "http://x/", "secret": "0123456789abcdef", "kinds": []}]',
        '[{"name": "a", "url": "http://x/", "secret": "0123456789abcdef", "extra": 1}]',
        '[{"name": "a", "url": "http://x/", "secret": "0123456789abcdef"},'
        ' {"name": "a", "url": "http://y/", "secret": "0123456789abcdef"}]',
        "/nonexistent/hooks.json",
    ],
)
def test_a_bad_webhook_setting_fails_loudly(raw: str) -> None:
    with pytest.raises(ConfigError):
        parse_webhooks(raw)


def test_backoff_grows_to_its_cap_with_jitter() -> None:
    policy = RetryPolicy(base_ms=100, cap_ms=1_000)
    delays = [policy.delay_ms(n) for n in range(1, 12)]
    assert all(50 <= d <= 1_000 for d in delays)
    assert policy.delay_ms(3, jitter=1.0) == 400 and policy.delay_ms(30, jitter=1.0) == 1_000


async def deliver_all(deliverers: list[Deliverer], want: int, counted: object) -> None:
    deadline = time.monotonic() + 20
    while counted() < want:  # type: ignore[operator]
        assert time.monotonic() < deadline, f"delivered {counted()} of {want}"  # type: ignore[operator]
        await asyncio.gather(*(d.run_once() for d in deliverers))
        await asyncio.sleep(0.02)


async def test_posts_are_signed_retried_and_recorded(store: Store, tmp_path: Path) -> None:
    """The receiver fails each notice twice: it gets it a third time, with backoff, and
    the graph holds the attempts; the filtered hook gets only what it asked for."""
    with receiver(tmp_path, free_port(), failures=2) as rx:
        hooks = (rx.hook("all"), rx.hook("overdue-a", kinds=("OVERDUE",), scope=COUNTY_A))
        async with httpx.AsyncClient(timeout=5) as client:
            deliverer = Deliverer(
                store, hooks, client=client, retry=RetryPolicy(base_ms=20, cap_ms=100)
            )
            ids = [
                await notify(store, UNIT_A1, 1),
                await notify(store, UNIT_A2, 2, kind="OVERDUE"),
                await notify(store, UNIT_B, 3, kind="OVERDUE"),
            ]

            def counted() -> int:
                return len(rx.accepted("/all")) + len(rx.accepted("/overdue-a"))

            await deliver_all([deliverer], 4, counted)
        assert set(rx.accepted("/all")) == set(ids)
        assert list(rx.accepted("/overdue-a")) == [ids[1]]
        records = rx.records()
        check_signed(records)
        assert len(records) == 4 * 3  # two failures then a success, per delivery
        body = json.loads(next(r["body"] for r in records if r["key"] == ids[2]))
        assert (body["kind"], body["unitId"], body["county"]) == ("OVERDUE", UNIT_B, COUNTY_B)
        assert body["payload"] == {"n": 3, "title": "需求 3"}
    rows = await store.run(q.DELIVERIES, ids=ids)
    states = {(r["delivery"]["hook"], r["delivery"]["noticeId"]): r["delivery"] for r in rows}
    assert set(states) == {("all", i) for i in ids} | {("overdue-a", ids[1])}
    for delivery in states.values():
        assert delivery["state"] == q.DELIVERED and delivery["attempts"] == 3
        assert delivery["deliveredAt"] >= delivery["createdAt"] and delivery["lastStatus"] == 200


async def test_two_servers_post_each_notice_once_per_hook(store: Store, tmp_path: Path) -> None:
    with receiver(tmp_path, free_port()) as rx:
        hooks = (rx.hook("gw-one"), rx.hook("gw-two"))
        settings = dataclasses.replace(server_settings(store), webhooks=hooks, notice_poll_ms=50)
        with serve(create_app(settings)), serve(create_app(settings)):
            ids = [await notify(store, UNIT_A1 if n % 2 else UNIT_B, n) for n in range(30)]
            deadline = time.monotonic() + 30
            while len(rx.accepted("/gw-one")) < 30 or len(rx.accepted("/gw-two")) < 30:
                assert time.monotonic() < deadline, "not every notice was delivered"
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)
        for path in ("/gw-one", "/gw-two"):
            assert rx.accepted(path) == {i: 1 for i in ids}
        assert len(rx.records()) == 60
        check_signed(rx.records())
