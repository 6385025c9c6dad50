"""Which passwords an account may have.

Length alone lets "          ", "aaaaaaaaaa", "1234567890" and the user's own name through.
Refused, each with a reason the user can act on: whitespace only, one character or a short
pattern repeated, a password on zxcvbn's list of the 30,000 most common ones, the user name
(or it reversed), and anything else zxcvbn's guess estimate puts under 10^6 guesses
(score 0-1: keyboard walks, dates, a common word with digits).
"""

from __future__ import annotations

from functools import cache

from zxcvbn import zxcvbn  # type: ignore[import-untyped]
from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

from marsad.errors import AccountError

MIN_PASSWORD_CHARS = 10
MIN_DISTINCT_CHARS = 4
MIN_GUESS_SCORE = 2  # zxcvbn: 2 = more than 10^6 guesses (an online attack gives up)
SCORED_CHARS = 100  # zxcvbn's estimate grows costly with length; a long one is not weak


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def _repeats(password: str) -> bool:
    if len(set(password)) < MIN_DISTINCT_CHARS:
        return True
    size = len(password)
    return any(
        size % unit == 0 and password == password[:unit] * (size // unit)
        for unit in range(1, size // 2 + 1)
    )


def check_password(password: str, username: str) -> None:
    """AccountError naming why the password is refused; None when it may be used."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    if not password.strip():
        raise AccountError("a password cannot be only spaces")
    if _repeats(password):
        raise AccountError("a password cannot be one character or a short pattern repeated")
    lowered = password.lower()
    if lowered in common_passwords():
        raise AccountError("this password is one of the most common ones; choose another")
    name = username.strip().lower()
    if lowered.strip() == name or lowered.replace(" ", "") in (name, name[::-1]):
        raise AccountError("a password cannot be the user name")
    estimate = zxcvbn(password[:SCORED_CHARS], user_inputs=[name])
    if estimate["score"] < MIN_GUESS_SCORE:
        warning = estimate["feedback"].get("warning") or "it is too easy to guess"
        raise AccountError(f"password refused: {warning.rstrip('.').lower()}")
