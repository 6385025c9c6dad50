"""Normalisation for matching, reversible through offsets.

Names and keywords are matched on a normalised copy of the text — diacritics, tatweel, alef and
hamza forms, alef maqsura, teh marbuta, Persian/Urdu letter forms, zero-width and bidi
characters, native digits and Latin case all folded — while every match is reported with
offsets into the original text, which is never changed. The groups are data
(data/scripts/normalization.yaml) and each can be switched off (MARSAD_NORMALIZE_SKIP).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from marsad.datafiles import DATA_DIR, load_yaml
from marsad.errors import ConfigError

if TYPE_CHECKING:
    import numpy as np

NORMALIZATION_FILE = DATA_DIR / "scripts" / "normalization.yaml"
TATWEEL = "\u0640"
# From this length on a text is normalised in numpy (one table look-up per character, three
# times faster at 500 characters, six at 15,000); below it str.translate costs less than numpy's
# fixed cost per call.
VECTOR_MIN_CHARS = 200
UNICODE_SIZE = 0x110000
ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII; same length, so offsets stay valid."""
    return text.translate(ASCII_DIGITS)


@dataclass(frozen=True)
class NormalizationGroup:
    name: str
    help: str
    transform: Callable[[str], str]

    @classmethod
    def from_data(cls, name: str, data: dict[str, Any]) -> NormalizationGroup:
        if "remove" in data:
            table = str.maketrans("", "", str(data["remove"]))
            return cls(name, str(data.get("help", "")), lambda s: s.translate(table))
        if "map" in data:
            mapping = str.maketrans({str(k): str(v) for k, v in dict(data["map"]).items()})
            return cls(name, str(data.get("help", "")), lambda s: s.translate(mapping))
        if "nfkc_ranges" in data:
            ranges = [(int(low), int(high)) for low, high in data["nfkc_ranges"]]

            def nfkc_in_ranges(s: str) -> str:
                return "".join(
                    unicodedata.normalize("NFKC", c)
                    if any(low <= ord(c) <= high for low, high in ranges)
                    else c
                    for c in s
                )

            return cls(name, str(data.get("help", "")), nfkc_in_ranges)
        if data.get("casefold"):
            return cls(name, str(data.get("help", "")), str.casefold)
        raise ConfigError(f"{NORMALIZATION_FILE}: group {name!r} has no remove/map/nfkc/casefold")


@cache
def normalization_groups() -> tuple[NormalizationGroup, ...]:
    data = load_yaml(NORMALIZATION_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict):
        raise ConfigError(f"{NORMALIZATION_FILE} must hold a mapping `groups`")
    return tuple(NormalizationGroup.from_data(n, g) for n, g in data["groups"].items())


def _stretches_previous(char: str) -> bool:
    return char == TATWEEL or unicodedata.category(char) == "Mn"


@dataclass(frozen=True)
class NormalizedText:
    """A normalised copy of `original`; `origin[i]` is the original index of character i."""

    original: str
    text: str
    origin: tuple[int, ...] | None  # None: one-to-one, offsets are unchanged

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that normalised [start, end) came from. Combining
        marks and tatweel removed after the last character (tanwin, shadda, niqqud, the ـ
        of هـ) belong to it; removed bidi and zero-width characters do not."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span {start}:{end} outside normalised text of {len(self.text)}")
        if self.origin is None:
            return start, end
        if start == end:
            position = self.origin[start] if start < len(self.text) else len(self.original)
            return position, position
        original_start = self.origin[start]
        original_end = self.origin[end - 1] + 1
        limit = self.origin[end] if end < len(self.text) else len(self.original)
        while original_end < limit and _stretches_previous(self.original[original_end]):
            original_end += 1
        return original_start, original_end


class _PieceTable(dict[int, str]):
    """A str.translate table of code point -> piece that computes a missing entry (and so
    fills itself) through `piece_of`."""

    def __init__(self, piece_of: Callable[[str], str]) -> None:
        super().__init__()
        self.piece_of = piece_of

    def __missing__(self, code: int) -> str:
        return self.piece_of(chr(code))


class _CodeTables:
    """What each code point becomes, as numpy arrays filled alongside the translate table
    (`kind` set last, so a reader never sees half an entry): 5.5 MB per normaliser, made when
    the first long text comes (so that commands which never normalise one, such as `marsad
    status`, do not load numpy)."""

    UNSEEN, ONE, REMOVED, EXPANDS = 0, 1, 2, 3

    def __init__(self, pieces: dict[str, str]) -> None:
        import numpy

        self.numpy = numpy
        self.kind: np.ndarray[Any, np.dtype[np.uint8]] = numpy.zeros(UNICODE_SIZE, numpy.uint8)
        # the one character each becomes
        self.target: np.ndarray[Any, np.dtype[np.uint32]] = numpy.zeros(UNICODE_SIZE, numpy.uint32)
        for char, piece in list(pieces.items()):
            self.learn(char, piece)

    def learn(self, char: str, piece: str) -> None:
        code = ord(char)
        if len(piece) == 1:
            self.target[code] = ord(piece)
            self.kind[code] = self.ONE
        else:
            self.kind[code] = self.EXPANDS if piece else self.REMOVED


class Normalizer:
    def __init__(self, skip: Iterable[str] = ()) -> None:
        groups = normalization_groups()
        skip = set(skip)
        unknown = skip - {group.name for group in groups}
        if unknown:
            known = ", ".join(group.name for group in groups)
            raise ConfigError(
                f"unknown normalisation group(s) {', '.join(sorted(unknown))}; known: {known}"
            )
        self.groups = tuple(group for group in groups if group.name not in skip)
        self._pieces: dict[str, str] = {}
        # Every character is normalised on its own, so the work is one str.translate (in C)
        # over a table that fills itself as new characters turn up. Characters that become
        # nothing or several are the only ones needing an offset map: `_resizing` finds them.
        self._table = _PieceTable(self._piece)
        self._resizing_chars: set[str] = set()
        # The pattern with the number of characters it was built from: one shared normaliser
        # serves many threads, and a pattern built while another thread added a character is
        # seen to be stale by its count.
        self._resizing: tuple[int, re.Pattern[str]] | None = None
        self._lock = threading.Lock()
        self._codes: _CodeTables | None = None

    def _piece(self, char: str) -> str:
        """What one original character becomes (possibly nothing, possibly several)."""
        piece = self._pieces.get(char)
        if piece is None:
            piece = char
            for group in self.groups:
                piece = group.transform(piece)
            if len(piece) != 1:
                with self._lock:
                    self._resizing_chars.add(char)
            self._table[ord(char)] = piece
            if self._codes is not None:
                self._codes.learn(char, piece)
            self._pieces[char] = piece
        return piece

    def _resizes(self, text: str) -> bool:
        built = self._resizing
        if built is None or built[0] != len(self._resizing_chars):
            with self._lock:
                chars = "".join(sorted(self._resizing_chars))
                built = (len(chars), re.compile(f"[{re.escape(chars)}]" if chars else "(?!)"))
                self._resizing = built
        return built[1].search(text) is not None

    def normalize(self, text: str) -> NormalizedText:
        if len(text) < VECTOR_MIN_CHARS:
            normalized = text.translate(self._table)  # first: it learns new characters
            if not self._resizes(text):
                return NormalizedText(text, normalized, None)
        # Long, or needing an offset map, which numpy builds for a fraction of a Python loop's
        # cost.
        vectorised = self._vectorised(text, with_origin=True)
        if vectorised is not None:
            return vectorised
        # A character that becomes several, or a lone surrogate: the map character by character.
        normalized = text.translate(self._table)
        if not self._resizes(text):
            return NormalizedText(text, normalized, None)
        pieces = [self._pieces[char] for char in text]
        origin = tuple(index for index, piece in enumerate(pieces) for _ in piece)
        return NormalizedText(text, normalized, origin)

    def key(self, text: str) -> str:
        """The normalised form alone, e.g. to index aliases."""
        if len(text) >= VECTOR_MIN_CHARS:
            vectorised = self._vectorised(text, with_origin=False)
            if vectorised is not None:
                return vectorised.text
        return text.translate(self._table)

    def _vectorised(self, text: str, *, with_origin: bool) -> NormalizedText | None:
        """The text normalised in numpy, or None when it holds a character that becomes
        several or a lone surrogate (str.translate handles those)."""
        tables = self._codes
        if tables is None:
            tables = self._codes = _CodeTables(self._pieces)
        numpy = tables.numpy
        try:
            codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
        except UnicodeEncodeError:  # a lone surrogate (bytes kept by surrogateescape)
            return None
        kinds = tables.kind[codes]
        if kinds.min() == tables.UNSEEN:
            for code in numpy.unique(codes[kinds == tables.UNSEEN]).tolist():
                char = chr(code)
                tables.learn(char, self._piece(char))  # known already if another thread was first
            kinds = tables.kind[codes]
        most = kinds.max()
        if most == tables.EXPANDS:
            return None
        mapped = tables.target[codes]
        if most == tables.ONE:
            return NormalizedText(text, mapped.tobytes().decode("utf-32-le"), None)
        kept = numpy.flatnonzero(kinds == tables.ONE)
        normalized = mapped[kept].tobytes().decode("utf-32-le")
        return NormalizedText(text, normalized, tuple(kept.tolist()) if with_origin else None)


@cache
def default_normalizer(skip: frozenset[str] = frozenset()) -> Normalizer:
    """The shared normaliser for a set of skipped groups (settings.normalize_skip)."""
    return Normalizer(skip)
