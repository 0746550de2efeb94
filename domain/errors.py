"""One exception root for everything a caller can cause or meet.

Every subclass carries a stable ``code`` (part of the public contract: GraphQL
error extensions, CLI exit reports) and a message that says what to fix.
"""

from __future__ import annotations

from typing import Any, ClassVar


class GongjianError(Exception):
    """Root of every error gongjian raises on purpose.

    >>> str(NotFound("没有编号为 x 的社区", kind="Community", id="x"))
    '没有编号为 x 的社区'
    """

    code: ClassVar[str] = "INTERNAL"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ConfigError(GongjianError):
    code = "CONFIG_INVALID"


class InvalidInput(GongjianError):
    code = "INVALID_INPUT"


class TooManyItems(InvalidInput):
    """A mutation given more items than its configured limit; split it into several calls."""

    code = "TOO_MANY_ITEMS"


class NotFound(GongjianError):
    code = "NOT_FOUND"


class Conflict(GongjianError):
    code = "CONFLICT"


class CapacityExceeded(GongjianError):
    code = "CAPACITY_EXCEEDED"


class IllegalTransition(GongjianError):
    code = "ILLEGAL_TRANSITION"


class Unauthenticated(GongjianError):
    code = "UNAUTHENTICATED"


class Forbidden(GongjianError):
    code = "FORBIDDEN"


class LimitExceeded(GongjianError):
    code = "LIMIT_EXCEEDED"


class CostLimitExceeded(LimitExceeded):
    """A document's static cost is above GONGJIAN_MAX_QUERY_COST: refused before it runs."""

    code = "COST_LIMIT"


class ResponseTooLarge(LimitExceeded):
    """A response grew past GONGJIAN_MAX_RESPONSE_BYTES: refused instead of sent."""

    code = "RESPONSE_TOO_LARGE"


class RequestTimeout(LimitExceeded):
    """A request ran past GONGJIAN_REQUEST_TIMEOUT_MS; its statements were cancelled."""

    code = "TIMEOUT"


class StoreUnavailable(GongjianError):
    """The graph database cannot be reached or started; the message says why."""

    code = "STORE_UNAVAILABLE"


class StoreError(GongjianError):
    """The graph database refused a statement (a bug, or a constraint)."""

    code = "STORE_ERROR"


class FileTooLarge(InvalidInput):
    """A roster file is over a limit (bytes, rows, columns, cells, zip entries): the message
    names the limit and says how to split the file."""

    code = "FILE_TOO_LARGE"


class FileUnsafe(InvalidInput):
    """A roster file holds what no spreadsheet program writes (XML entities, a zip bomb)."""

    code = "FILE_UNSAFE"


class ParseAborted(InvalidInput):
    """Reading a roster file was stopped: it needed more memory or time than allowed."""

    code = "PARSE_ABORTED"
