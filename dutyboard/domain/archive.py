"""The customer archive's rules: codes, phones and e-mails, free service, low stock, near misses.

Pure functions over plain values, shared by the command line, CSV import and the dashboard's
forms so that all three accept and refuse exactly the same input.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date, timedelta

from dutyboard.domain.policy import ASSET_KINDS, BILLABLE_REASONS, FREE_SERVICE_YEARS, PART_STORES
from dutyboard.i18n import _

#: Longest code, name or other one-line text the archive keeps (a CSV cell is not a document).
CODE_MAX = 40
TEXT_MAX = 200
#: Codes are what people type and scripts pass: no spaces, no commas, no quotes.
_CODE_RE = re.compile(r"^[^\s,;\"']+$")
_EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
#: A phone number as people write it: digits, +, spaces, dashes, brackets, an extension.
_PHONE_RE = re.compile(r"^\+?[0-9 ()\-]+((ext\.?|x|转|#)\s*[0-9]+)?$", re.IGNORECASE)
PHONE_MIN_DIGITS = 5
_YES = ("yes", "y", "true", "1", "是")
_NO = ("no", "n", "false", "0", "否")
#: How many near misses an "unknown code" message names.
CLOSEST_SHOWN = 5


class ArchiveError(ValueError):
    """A value the archive refuses; the message says what is wrong (bad input, exit status 2)."""


def check_code(text: str, what: str) -> str:
    """A code as stored: trimmed, not empty, no spaces or commas, at most CODE_MAX characters."""
    code = (text or "").strip()
    if not code:
        raise ArchiveError(_("The {what} code is empty").format(what=what))
    if len(code) > CODE_MAX:
        raise ArchiveError(
            _("The {what} code {code!r} is longer than {n} characters").format(
                what=what, code=code, n=CODE_MAX
            )
        )
    if not _CODE_RE.match(code):
        raise ArchiveError(
            _("The {what} code {code!r} may not contain spaces, commas or quotes").format(
                what=what, code=code
            )
        )
    return code


def check_text(text: str | None, field: str, required: bool = False) -> str:
    """One line of text: trimmed, at most TEXT_MAX characters; empty only when not required."""
    value = (text or "").strip()
    if required and not value:
        raise ArchiveError(_("{field} is empty").format(field=field))
    if "\n" in value or "\r" in value:
        raise ArchiveError(_("{field} must be one line").format(field=field))
    if len(value) > TEXT_MAX:
        raise ArchiveError(
            _("{field} is longer than {n} characters").format(field=field, n=TEXT_MAX)
        )
    return value


def check_kind(text: str) -> str:
    """An asset kind (a part's kind is the kind of asset it fits)."""
    kind = (text or "").strip().lower()
    if kind not in ASSET_KINDS:
        raise ArchiveError(
            _("The kind must be one of {choices}, not {value!r}").format(
                choices=", ".join(ASSET_KINDS), value=text
            )
        )
    return kind


def check_store(text: str) -> str:
    """Where a part or backup unit is kept: local or hangzhou."""
    store = (text or "").strip().lower()
    if store not in PART_STORES:
        raise ArchiveError(
            _("The store must be one of {choices}, not {value!r}").format(
                choices=", ".join(PART_STORES), value=text
            )
        )
    return store


def check_billable_reason(text: str) -> str:
    """One of the plan's reasons for billable work."""
    reason = (text or "").strip()
    if reason not in BILLABLE_REASONS:
        raise ArchiveError(
            _("The reason must be one of {choices}, not {value!r}").format(
                choices=", ".join(BILLABLE_REASONS), value=text
            )
        )
    return reason


def check_phone(text: str | None) -> str:
    """A phone number as written ("0571-63701234", "+86 138 0571 1001"), or "" when none."""
    phone = (text or "").strip()
    if not phone:
        return ""
    digits = sum(ch.isdigit() for ch in phone)
    if not _PHONE_RE.match(phone) or digits < PHONE_MIN_DIGITS or len(phone) > CODE_MAX:
        raise ArchiveError(_("{value!r} is not a phone number").format(value=phone))
    return phone


def check_email(text: str | None) -> str:
    """An e-mail address (name@domain.tld), or "" when none."""
    email = (text or "").strip()
    if not email:
        return ""
    if not _EMAIL_RE.match(email) or len(email) > TEXT_MAX:
        raise ArchiveError(_("{value!r} is not an e-mail address").format(value=email))
    return email


def check_quantity(text: str | int, field: str) -> int:
    """A whole number of parts, zero or more ("1.5", "-2" and "many" are refused)."""
    if isinstance(text, bool):
        raise ArchiveError(
            _("{field} must be a whole number, not {value!r}").format(field=field, value=text)
        )
    if isinstance(text, int):
        value = text
    else:
        raw = (text or "").strip()
        if not re.fullmatch(r"[+-]?[0-9]+", raw):
            raise ArchiveError(
                _("{field} must be a whole number, not {value!r}").format(field=field, value=text)
            )
        value = int(raw)
    if value < 0:
        raise ArchiveError(
            _("{field} cannot be negative ({value})").format(field=field, value=value)
        )
    return value


def parse_date(text: str, field: str) -> date | None:
    """A date written YYYY-MM-DD; None for an empty value."""
    raw = (text or "").strip()
    if not raw:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise ArchiveError(
            _("{field} {value!r} is not a date (YYYY-MM-DD)").format(field=field, value=text)
        ) from None


def parse_yes_no(text: str | bool | None, field: str, default: bool = False) -> bool:
    """yes or no (also true/false, 1/0, 是/否); empty means the default."""
    if isinstance(text, bool):
        return text
    raw = (text or "").strip().lower()
    if not raw:
        return default
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise ArchiveError(
        _("{field} must be yes or no, not {value!r}").format(field=field, value=text)
    )


def yes_no(value: bool) -> str:
    """How a flag is written in a CSV file and on the command line."""
    return "yes" if value else "no"


# ---------------------------------------------------------------- free service and stock


def free_service_end(accepted: date) -> date:
    """The first day outside the free service: FREE_SERVICE_YEARS after acceptance.

    Acceptance on 29 February ends on 1 March, so the free service never runs short.
    """
    try:
        return accepted.replace(year=accepted.year + FREE_SERVICE_YEARS)
    except ValueError:
        return accepted.replace(year=accepted.year + FREE_SERVICE_YEARS, day=28) + timedelta(days=1)


def in_free_service(accepted: date | None, day: date) -> bool:
    """Whether work on `day` is inside the free service; without an acceptance date it is."""
    if accepted is None:
        return True
    return day < free_service_end(accepted)


def is_low(qty: int, minimum: int) -> bool:
    """Low stock: fewer on the shelf than the minimum to keep."""
    return qty < minimum


def dropped_low(before: tuple[int, int] | None, after: tuple[int, int]) -> bool:
    """Whether a change of (qty, min) takes a part into low stock (None: it did not exist)."""
    was_low = before is not None and is_low(*before)
    return is_low(*after) and not was_low


# ---------------------------------------------------------------- near misses


def closest(code: str, known: Iterable[str], shown: int = CLOSEST_SHOWN) -> list[str]:
    """The known codes nearest to a mistyped one: the same in another case, then similar ones."""
    codes = list(dict.fromkeys(known))
    folded = {c.casefold(): c for c in codes}
    wanted = (code or "").strip().casefold()
    found: list[str] = []
    if wanted in folded:
        found.append(folded[wanted])
    if wanted:
        found.extend(c for c in codes if wanted in c.casefold() and c not in found)
    found.extend(
        folded[c]
        for c in difflib.get_close_matches(wanted, list(folded), n=shown, cutoff=0.5)
        if folded[c] not in found
    )
    return found[:shown]
