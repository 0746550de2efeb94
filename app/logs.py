"""Logs an operator can keep: no secrets, no personal data, a request id on every line.

``configure_logging(level, fmt)`` installs one handler on the root logger; every
logger (ours, uvicorn's, strawberry's, a driver's) propagates to it, and the
handler's filters run on every record that reaches it, whoever logged it:

- ``Redact`` rewrites the message: passwords in URLs, bearer tokens, API tokens
  and JWTs, Authorization headers, mobile and landline numbers and ID-card
  numbers are masked; uvicorn's access lines lose their query string;
  strawberry's error records (which repeat the document and the values of
  variables) become a one-line summary: path and error class, no message.
- exceptions are printed as their class and stack frames only: an exception's
  message may carry a value a caller sent (a name, a phone).
- ``RequestIdFilter`` adds ``request_id`` (set per request by
  ``RequestIdMiddleware``; ``-`` outside a request).

``GONGJIAN_LOG_FORMAT=json`` gives one JSON object a line (``ts``, ``level``,
``logger``, ``request_id``, ``message``, ``exc``).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import traceback
from types import TracebackType
from typing import Any

from graphql import GraphQLError

from domain.errors import ConfigError, GongjianError, StoreUnavailable

#: errors about the installation, not about what a caller sent: their message is kept
OPERATOR_ERRORS = (ConfigError, StoreUnavailable)

_OPERATOR_NAMES = tuple(e.__name__ for e in OPERATOR_ERRORS)

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.\-]*://)(?P<user>[^\s:/@]*):[^\s@/]*@", re.I)
_BEARER = re.compile(r"\b(bearer|basic|token)(\s+|=)[A-Za-z0-9._~+/=\-]{8,}", re.I)
_AUTH_HEADER = re.compile(r"(authorization['\"]?\s*[:=,]\s*['\"]?)[^'\"\r\n,}]+", re.I)
_API_TOKEN = re.compile(r"\bgj_[A-Za-z0-9_\-]{8,}")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*")
_PASSWORD_PARAM = re.compile(
    r"((?:password|passwd|pwd|secret)['\"]?\s*[:=]\s*['\"]?)[^\s'\",&}]+", re.I
)
#: a number's edges: not inside a longer number, nor the fraction of a decimal
#: ("retrying in 14.0830521234s" holds no phone number)
_START = r"(?<![0-9])(?<![0-9]\.)"
_END = r"(?![0-9])(?!\.[0-9])"
#: 18-digit resident ID cards (last may be X), 15-digit old ones
_ID_CARD = re.compile(_START + r"[1-9][0-9]{5}(?:19|20)[0-9]{9}[0-9Xx](?![0-9A-Za-z])")
_ID_CARD_OLD = re.compile(_START + r"[1-9][0-9]{14}" + _END)
_MOBILE = re.compile(_START + r"(?:\+?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}" + _END)
_LANDLINE = re.compile(_START + r"0[1-9][0-9]{1,2}[ -]?[0-9]{7,8}" + _END)


def redact(text: str) -> str:
    """``text`` with secrets and personal numbers masked.

    >>> redact("neo4j://neo4j:hunter2@db:7687 phone 13812341234")
    'neo4j://neo4j:***@db:7687 phone 1**********'
    """
    text = _URL_PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    text = _AUTH_HEADER.sub(lambda m: f"{m[1]}***", text)
    text = _BEARER.sub(lambda m: f"{m[1]}{m[2]}***", text)
    text = _API_TOKEN.sub("gj_***", text)
    text = _JWT.sub("eyJ***", text)
    text = _PASSWORD_PARAM.sub(lambda m: f"{m[1]}***", text)
    text = _ID_CARD.sub("******************", text)
    text = _ID_CARD_OLD.sub("***************", text)
    text = _MOBILE.sub(lambda m: m[0][0] + "*" * 10, text)
    return _LANDLINE.sub(lambda m: m[0][:4] + "****", text)


def redact_url(url: str) -> str:
    """A database URL fit to print: the password replaced.

    >>> redact_url("neo4j://neo4j:secret@db:7687")
    'neo4j://neo4j:***@db:7687'
    """
    return _URL_PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:***@", url)


_TRACEBACK = "Traceback (most recent call last):"
_EXCEPTION_LINE = re.compile(
    r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Group)?)(:.*)?$"
)


def strip_traceback_messages(text: str) -> str:
    """A traceback written as text (uvicorn logs its lifespan errors so): the frames
    stay, each exception line keeps its class only (our installation errors keep
    their message: it says what to fix)."""
    if _TRACEBACK not in text:
        return text
    out: list[str] = []
    for line in text.splitlines():
        if line.startswith((" ", "\t", _TRACEBACK, "During handling", "The above exception")):
            out.append(line)
        elif line.split(":", 1)[0].endswith(_OPERATOR_NAMES):
            out.append(line)  # ours, about the installation: what to fix
        elif m := _EXCEPTION_LINE.match(line.strip()):
            out.append(m[1])
        elif line.strip():
            out.append("[message removed]")
    return "\n".join(out)


def _without_query(target: object) -> object:
    return target.split("?", 1)[0] if isinstance(target, str) else target


def _graphql_summary(error: GraphQLError) -> str:
    original = error.original_error
    where = ".".join(str(p) for p in error.path) if error.path else "(document)"
    if isinstance(original, GongjianError):
        return f"GraphQL error at {where}: {original.code}"
    if original is not None and not isinstance(original, GraphQLError):
        return f"GraphQL error at {where}: {type(original).__name__}"
    return f"GraphQL request error at {where} (parse, validation or variables)"


class Redact(logging.Filter):
    """Masks secrets and personal data in every record (install it on handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.access" and isinstance(record.args, tuple):
            args = list(record.args)
            if len(args) >= 3:  # (client, method, full path, http version, status)
                args[2] = _without_query(args[2])
            record.args = tuple(args)
        if record.name.startswith("strawberry") and isinstance(record.msg, GraphQLError):
            record.msg, record.args = _graphql_summary(record.msg), None
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = redact(strip_traceback_messages(message)), None
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def format_exception(exc_info: ExcInfo | tuple[None, None, None]) -> str:
    """The exception's class and stack, without its message (which may hold values)."""
    _, error, _ = exc_info
    lines: list[str] = []
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = traceback.extract_tb(error.__traceback__)
        lines.append(f"{type(error).__module__}.{type(error).__qualname__}")
        lines += [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
        if isinstance(error, OPERATOR_ERRORS):
            lines.append(f"  [{error.code}] {redact(error.message)}")
        elif isinstance(error, GongjianError):
            lines.append(f"  code {error.code}")
        error = error.__cause__ or error.__context__
        if error is not None:
            lines.append("caused by:")
    return "\n".join(lines)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatException(self, ei: Any) -> str:
        return format_exception(ei)

    def formatStack(self, stack_info: str) -> str:
        return ""  # frames only come with exceptions


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exc"] = format_exception(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def make_handler(fmt: str = "text") -> logging.Handler:
    """A stderr handler with the redacting filters and the chosen format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(Redact())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    return handler


def configure_logging(level: str | int = "INFO", fmt: str = "text") -> None:
    """One redacting handler on the root logger; every other logger propagates to it.

    Handlers a library set up itself get the same filters and format.
    """
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(make_handler(fmt))
    root.setLevel(level)
    for name in (
        "uvicorn",
        "uvicorn.error",
        "uvicorn.access",
        "strawberry",
        "strawberry.execution",
    ):
        named = logging.getLogger(name)
        named.handlers.clear()
        named.propagate = True
    install_everywhere(fmt)


def install_everywhere(fmt: str = "text") -> None:
    """Give every handler already attached to any logger the redacting filters."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, Redact) for f in handler.filters):
                handler.addFilter(RequestIdFilter())
                handler.addFilter(Redact())
                handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
