"""Values made safe to write into a spreadsheet the project produces (.xlsx or CSV).

A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, WPS and LibreOffice as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``): it gets
a quote in front (OWASP, CSV injection), and a load takes the quote off again
(``loaders.read``). Characters XML cannot hold (control characters) become U+FFFD.
Numbers, dates and booleans are written as they are: ``-3`` stays a number.

    >>> safe_cell("=HYPERLINK(\\"http://x\\",\\"y\\")")
    '\\'=HYPERLINK("http://x","y")'
    >>> safe_cell(-3), safe_cell("桂圆林社区")
    (-3, '桂圆林社区')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: what makes a spreadsheet program read a text as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def safe_text(text: str) -> str:
    """A text without the characters an .xlsx cannot hold (no quote added)."""
    return _ILLEGAL.sub("\ufffd", text)


def safe_cell(value: Any) -> Any:
    """One value as a produced spreadsheet may hold it: never a formula."""
    if not isinstance(value, str):
        return value
    value = safe_text(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row for ``sheet.append`` or ``csv.writer.writerow``."""
    return [safe_cell(value) for value in values]
