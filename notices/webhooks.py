"""Webhooks: their configuration and the signature every delivery carries.

``GONGJIAN_WEBHOOKS`` is a JSON list, given inline (a value starting with ``[``) or
as the path of a file holding it (keeps the secrets out of the environment)::

    [{"name": "sms", "url": "https://gw.example/hook", "secret": "…32 bytes…",
      "kinds": ["DISPATCHED", "OVERDUE"], "scope": "510522000000"}]

``kinds`` (optional) keeps the notices of those kinds; ``scope`` (optional, a
12-digit place code) those whose place lies in it.

The receiver checks ``X-Gongjian-Signature: sha256=<hex>``, the HMAC-SHA256 of
the raw body with the hook's secret::

    >>> body = b'{"id":"ntc_1"}'
    >>> verify("0123456789abcdef", body, sign("0123456789abcdef", body))
    True
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from access.principal import is_place_code, prefix_of
from domain.errors import ConfigError

SIGNATURE_HEADER = "X-Gongjian-Signature"
TIMESTAMP_HEADER = "X-Gongjian-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MIN_SECRET_CHARS = 16
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_KIND = re.compile(r"[A-Z][A-Z_]{0,39}")


@dataclass(frozen=True, repr=False)
class Webhook:
    """One configured receiver (a gateway to SMS, WeChat, a county's own system)."""

    name: str
    url: str
    secret: str
    kinds: tuple[str, ...] | None = None
    scope: str | None = None

    @property
    def prefix(self) -> str | None:
        """The code prefix of the places in ``scope`` (None: every place)."""
        return prefix_of(self.scope) if self.scope else None

    def __repr__(self) -> str:  # never the secret, in logs or tracebacks
        return f"Webhook(name={self.name!r}, url={urlsplit(self.url).netloc!r})"


def sign(secret: str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``body`` keyed with ``secret``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a receiver does (constant-time comparison)."""
    return hmac.compare_digest(sign(secret, body), signature)


def _bad(index: int, what: str, english: str) -> ConfigError:
    return ConfigError(
        f"GONGJIAN_WEBHOOKS 第 {index + 1} 项：{what} (webhook {index + 1}: {english})"
    )


def _hook(index: int, raw: Any) -> Webhook:
    if not isinstance(raw, dict):
        raise _bad(index, "应为对象", "must be an object")
    unknown = set(raw) - {"name", "url", "secret", "kinds", "scope"}
    if unknown:
        raise _bad(index, f"未知字段 {sorted(unknown)}", f"unknown keys {sorted(unknown)}")
    name, url, secret = raw.get("name"), raw.get("url"), raw.get("secret")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise _bad(
            index, "name 应为小写字母、数字、- 或 _", "name: lower-case letters, digits, - or _"
        )
    if not isinstance(url, str) or urlsplit(url).scheme not in {"http", "https"}:
        raise _bad(index, "url 应为 http(s) 地址", "url must be an http(s) URL")
    if not urlsplit(url).hostname:
        raise _bad(index, "url 应为 http(s) 地址", "url must be an http(s) URL")
    if not isinstance(secret, str) or len(secret) < MIN_SECRET_CHARS:
        raise _bad(
            index,
            f"secret 至少 {MIN_SECRET_CHARS} 个字符",
            f"secret needs {MIN_SECRET_CHARS}+ characters",
        )
    kinds = raw.get("kinds")
    if kinds is not None and (
        not isinstance(kinds, list)
        or not kinds
        or not all(isinstance(k, str) and _KIND.fullmatch(k) for k in kinds)
    ):
        raise _bad(index, "kinds 应为通知类型列表", "kinds must be a list of notice kinds")
    scope = raw.get("scope")
    if scope is not None and (not isinstance(scope, str) or not is_place_code(scope)):
        raise _bad(index, "scope 应为 12 位区划代码", "scope must be a 12-digit place code")
    return Webhook(name, url, secret, tuple(kinds) if kinds else None, scope)


def parse_webhooks(raw: str | None) -> tuple[Webhook, ...]:
    """The hooks of a GONGJIAN_WEBHOOKS value: inline JSON or a file's path."""
    if raw is None or not raw.strip():
        return ()
    text = raw.strip()
    if not text.startswith("["):
        path = Path(text)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise ConfigError(
                f"GONGJIAN_WEBHOOKS：无法读取文件 {path} (cannot read the webhooks file)"
            ) from e
    try:
        found = json.loads(text)
    except ValueError as e:
        raise ConfigError("GONGJIAN_WEBHOOKS 不是合法的 JSON 列表 (not a JSON list)") from e
    if not isinstance(found, list):
        raise ConfigError("GONGJIAN_WEBHOOKS 应为 JSON 列表 (must be a JSON list)")
    hooks = tuple(_hook(index, item) for index, item in enumerate(found))
    names = [hook.name for hook in hooks]
    if len(set(names)) != len(names):
        raise ConfigError("GONGJIAN_WEBHOOKS 中 name 重复 (webhook names must be unique)")
    return hooks
