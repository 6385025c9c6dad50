"""The Normalizer's result, computed with one vectorised table lookup instead of a Python loop.

marsad.text.normalize folds each character on its own (a character becomes one character,
nothing, or rarely several), so a code-point table gives the same text; the offsets back to the
original fall out of which characters were kept. Matching long texts against a large KB is
dominated by this step, hence the table. Texts with a character that expands (ligatures,
ß → ss) or that cannot be encoded (lone surrogates) go through the Normalizer itself.
"""

from __future__ import annotations

import numpy as np

from marsad.text.normalize import NormalizedText, Normalizer

REMOVED = 0  # table value of characters the normaliser deletes (NUL itself is kept apart)
CODE_POINTS = 0x110000


class TableNormalizer:
    def __init__(self, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self.table = np.arange(CODE_POINTS, dtype=np.uint32)
        # Characters whose fate the table knows; NUL never, so texts holding it take the
        # slow path (the table uses 0 for "removed").
        self.known = np.zeros(CODE_POINTS, dtype=np.bool_)
        self.expands = np.zeros(CODE_POINTS, dtype=np.bool_)

    def _learn(self, codes: np.ndarray) -> None:
        unknown = codes[~self.known[codes]]
        for code in np.unique(unknown).tolist():
            piece = self.normalizer.key(chr(code))
            if code == 0 or len(piece) > 1:
                self.expands[code] = True
            else:
                self.table[code] = ord(piece) if piece else REMOVED
                self.known[code] = True

    def normalize(self, text: str) -> NormalizedText:
        try:
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        except UnicodeEncodeError:
            return self.normalizer.normalize(text)
        if not self.known[codes].all():
            self._learn(codes)
            if self.expands[codes].any():
                return self.normalizer.normalize(text)
        mapped = self.table[codes]
        kept = mapped != REMOVED
        if kept.all():
            return NormalizedText(text, mapped.tobytes().decode("utf-32-le"), None)
        origin = tuple(np.flatnonzero(kept).tolist())
        return NormalizedText(text, mapped[kept].tobytes().decode("utf-32-le"), origin)
