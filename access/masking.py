"""Personal data for callers not entitled to it: phone numbers and names, masked.

Rules (what a caller without READ_PERSONAL sees):

- mobile numbers keep the first 3 and last 4 digits: ``13812341234`` ->
  ``138****1234`` (a +86 / 86 prefix and spaces or dashes are dropped);
- landlines keep the area code and the last 3 digits: ``0830-5212345`` ->
  ``0830-****345`` (an extension is dropped);
- any other run of digits keeps its last 2: ``95598`` -> ``***98``;
- anything else in a phone field becomes ``*``; several numbers in one field
  (``138…、0830-…``) are masked one by one, separators kept;
- names keep their first character and mask each further one: ``张三`` ->
  ``张*``, ``欧阳修`` -> ``欧**``; a one-character name becomes ``*``;
  a middle dot or space stays (``阿依古丽·买买提`` -> ``阿***·***``).

Control and format characters are dropped first and the output is bounded,
so hostile input yields a short, printable string. None stays None.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from access.policy import Action, Target, can
from access.principal import Principal

_MAX_STARS = 12
_MAX_PARTS = 8
_SEPARATORS = re.compile(r"(\s*[,，、;；/|]\s*|\s{2,})")
_PHONE_PUNCT = re.compile(r"[\s\-–—()（）.+]")
_MOBILE = re.compile(r"^(?:0{0,2}86)?(1[0-9]{2})[0-9]{4}([0-9]{4})$")
_LANDLINE = re.compile(
    r"^(0(?:[12][0-9]|[3-9][0-9]{2}))([0-9]{7,8})(?:(?:转|ext|x|#)[0-9]{1,6})?$", re.I
)
_NAME_KEEP = frozenset("·•． ")
#: mobile numbers inside free text (descriptions, log messages)
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])(1[3-9][0-9])[ -]?[0-9]{4}[ -]?([0-9]{4})(?![0-9])")
#: any decimal digit (ASCII or full width): only text holding one can hold a number
_DIGIT = re.compile(r"\d")
_FULL_WIDTH_DIGITS = {0xFF10 + i: ord("0") + i for i in range(10)}
#: 18-digit resident ID-card numbers (the last may be X) inside free text
_ID_CARD_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])"
)
#: landlines inside free text: an area code (010, 02x, 0xxx) and 7 or 8 digits,
#: with or without a dash, brackets around the area code allowed
_LANDLINE_IN_TEXT = re.compile(
    r"(?<![0-9])[(（]?(0(?:[12][0-9]|[3-9][0-9]{2}))[)）]?[ -]?([0-9]{4,5})([0-9]{3})(?![0-9])"
)


def _printable(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


def _stars(count: int) -> str:
    return "*" * max(1, min(count, _MAX_STARS))


def _mask_number(part: str) -> str:
    compact = _PHONE_PUNCT.sub("", unicodedata.normalize("NFKC", part))
    if m := _MOBILE.match(compact):
        return f"{m[1]}****{m[2]}"
    if m := _LANDLINE.match(compact):
        return f"{m[1]}-{_stars(len(m[2]) - 3)}{m[2][-3:]}"
    digits = "".join(ch for ch in compact if ch.isascii() and ch.isdigit())
    if len(digits) >= 3:
        return _stars(len(digits) - 2) + digits[-2:]
    return "*"


def mask_phone(phone: str | None) -> str | None:
    """A phone field as an unentitled caller sees it.

    >>> mask_phone("13812341234"), mask_phone("0830-5212345"), mask_phone("+86 138 1234 1234")
    ('138****1234', '0830-****345', '138****1234')
    >>> mask_phone("13812341234、0830-5212345")
    '138****1234、0830-****345'
    """
    if phone is None:
        return None
    text = _printable(phone).strip()
    if not text:
        return ""
    pieces = _SEPARATORS.split(text)
    out: list[str] = []
    for index, piece in enumerate(pieces[: 2 * _MAX_PARTS - 1]):
        if index % 2:  # a separator
            out.append(piece.strip() or " ")
        elif piece:
            out.append(_mask_number(piece))
    return "".join(out)


def mask_name(name: str | None) -> str | None:
    """A person's name as an unentitled caller sees it.

    >>> mask_name("张三"), mask_name("欧阳修"), mask_name("张")
    ('张*', '欧**', '*')
    """
    if name is None:
        return None
    text = _printable(unicodedata.normalize("NFC", name)).strip()
    if not text:
        return ""
    if len(text) == 1:
        return "*"
    rest = "".join(ch if ch in _NAME_KEEP else "*" for ch in text[1 : 1 + _MAX_STARS])
    return text[0] + rest


def mask_phones_in_text(text: str) -> str:
    """Mask the mobile numbers inside free text (a demand's description, a log line).

    >>> mask_phones_in_text("联系王阿姨 13812341234")
    '联系王阿姨 138****1234'
    """
    return _MOBILE_IN_TEXT.sub(lambda m: f"{m[1]}****{m[2]}", text)


def mask_personal_in_text(text: str) -> str:
    """Mask every phone (mobile, landline) and 18-digit ID-card number inside free text:
    what an unentitled caller sees of a title, description, note or comment.

    ID cards keep the 6-digit region and the last 4 (``510522********123X``), landlines
    the area code and the last 3.

    >>> mask_personal_in_text("联系 王秘密 13912345678，座机 0830-5212345")
    '联系 王秘密 139****5678，座机 0830-****345'
    >>> mask_personal_in_text("身份证 51052219800101123X")
    '身份证 510522********123X'
    """
    if _DIGIT.search(text) is None:  # most text: one scan in C, not one call per character
        return text
    text = text.translate(_FULL_WIDTH_DIGITS)
    text = _ID_CARD_IN_TEXT.sub(lambda m: f"{m[1]}********{m[2]}", text)
    text = _MOBILE_IN_TEXT.sub(lambda m: f"{m[1]}****{m[2]}", text)
    return _LANDLINE_IN_TEXT.sub(lambda m: f"{m[1]}-{_stars(len(m[2]))}{m[3]}", text)


def personal_visible(principal: Principal, target: Target | None) -> bool:
    """Whether ``principal`` sees the personal fields of an object at ``target`` unmasked."""
    return can(principal, Action.READ_PERSONAL, target)


def phone_for(principal: Principal, target: Target | None, phone: str | None) -> str | None:
    """The phone as ``principal`` may see it: as stored, or masked."""
    return phone if personal_visible(principal, target) else mask_phone(phone)


def name_for(principal: Principal, target: Target | None, name: str | None) -> str | None:
    """The name as ``principal`` may see it: as stored, or masked."""
    return name if personal_visible(principal, target) else mask_name(name)


class RedactPhones(logging.Filter):
    """A logging filter that masks mobile numbers in every record it passes.

    A last line of defence: code must not log personal data in the first place.
    ``logging.getLogger().handlers[0].addFilter(RedactPhones())``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        masked = mask_phones_in_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
