"""The `langid` stage: language of each document and of each paragraph, with confidence.

The script comes first: the one the model's best configured language writes in, if it holds a
fair share of the letters. Within the script, letters only one language writes (data files
under lexicons/<lang>/langid.yaml) decide; otherwise the statistical models do — lingua for
short text, which n-gram models over few characters confuse, py3langid for longer — over the
script's configured languages, and frequent function words in the same files overrule them
when clearly ahead: Arabic typed on a Persian keyboard (ی ک), Urdu or Pashto without their own
letters. The keyboard counts too: text typed with Arabic ي ك and none of the letters of a
Persian or Urdu keyboard weighs those languages down.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from marsad.config import Setting, parse_positive_int
from marsad.datafiles import language_lexicons
from marsad.errors import ConfigError
from marsad.pipeline.stage import BaseStage, StageContext

UNDETERMINED = "und"
# Letters below this count carry too little signal for full confidence.
FULL_CONFIDENCE_LETTERS = 30
SCRIPT_RANGES: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    (
        "arabic",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    ("hebrew", ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))),
    ("latin", ((0x0041, 0x024F), (0x1E00, 0x1EFF))),
    ("cyrillic", ((0x0400, 0x052F),)),
)

# Texts with fewer letters are scored by lingua (ShortTextModel), longer ones by py3langid.
SHORT_TEXT_LETTERS = 100
# lingua's share of a short text's score, by script (py3langid has the rest): lingua is the
# better judge of a word or two; in the Arabic script py3langid still corrects some of its
# Arabic/Persian slips, in the Latin script it only adds errors (bench_langid.py).
SHORT_TEXT_WEIGHT = {"arabic": 0.8}
# The model's script wins over the majority script when it holds this share of the letters.
MIN_SCRIPT_SHARE = 0.2

# A language's score is multiplied by this when the text was typed without its keyboard:
# Arabic ي ك and none of the letters a Persian or Urdu keyboard types (lexicons' `keyboard`).
OTHER_KEYBOARD_FACTOR = 0.5

# Links are Latin letters that say nothing of the text's language (and can outnumber it).
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Keyboards differ in the yeh and kaf they type; function words are compared with these folded.
KEYBOARD_FOLDING = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
WORD_EDGES = "\"'.,:;!?()[]«»“”،؛؟…#-"
# Function words overrule the letters only when clearly ahead: this many hits, and more than
# twice the letters' choice.
MIN_WORD_HITS = 2

MIN_SPAN_LETTERS = Setting(
    "langid_min_span_letters",
    20,
    "Paragraphs with fewer letters join their neighbour's language span.",
    parse_positive_int,
)


@dataclass(frozen=True)
class LanguageProfile:
    code: str
    script: str
    markers: frozenset[str]
    min_marker_rate: float
    precedence: int
    identifier_codes: tuple[str, ...]
    function_words: frozenset[str] = frozenset()
    # Letters its keyboards type, and letters only other keyboards type (Arabic ي ك for
    # Persian): a text with the latter and none of the former was typed elsewhere.
    keyboard_letters: frozenset[str] = frozenset()
    other_keyboard_letters: frozenset[str] = frozenset()

    def typed_elsewhere(self, counts: Counter[str]) -> bool:
        return any(counts[char] for char in self.other_keyboard_letters) and not any(
            counts[char] for char in self.keyboard_letters
        )

    @classmethod
    def from_data(cls, code: str, data: dict[str, Any]) -> LanguageProfile:
        keyboard = data.get("keyboard") or {}
        try:
            return cls(
                code=code,
                script=str(data["script"]),
                markers=frozenset(str(data["markers"])),
                min_marker_rate=float(data["min_marker_rate"]),
                precedence=int(data["precedence"]),
                identifier_codes=tuple(data["identifier_codes"]),
                function_words=frozenset(
                    str(word).translate(KEYBOARD_FOLDING) for word in data.get("function_words", [])
                ),
                keyboard_letters=frozenset(str(keyboard.get("typed", ""))),
                other_keyboard_letters=frozenset(str(keyboard.get("not_typed", ""))),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"lexicons/{code}/langid.yaml: missing or bad field {exc}") from None


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    confidence: float
    script: str | None


@dataclass(frozen=True)
class LanguageSpan:
    start: int
    end: int
    language: str
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "language": self.language,
            "confidence": round(self.confidence, 3),
        }


def folded_words(text: str) -> Counter[str]:
    """Words of the text with edge punctuation removed and yeh/kaf folded (KEYBOARD_FOLDING)."""
    return Counter(word.strip(WORD_EDGES) for word in text.translate(KEYBOARD_FOLDING).split())


def letter_count(text: str) -> int:
    return sum(count for char, count in Counter(text).items() if char.isalpha())


@cache
def script_of(char: str) -> str | None:
    point = ord(char)
    for script, ranges in SCRIPT_RANGES:
        if any(low <= point <= high for low, high in ranges):
            return script
    return None


class ShortTextModel:
    """lingua's confidence values over the configured languages of one script that it knows.

    Built lazily: lingua loads a language's models on first use.
    """

    def __init__(self, codes: list[str]) -> None:
        known: dict[Language, str] = {}
        for code in codes:
            iso = getattr(IsoCode639_1, code.upper(), None)
            if iso is not None:
                known[Language.from_iso_code_639_1(iso)] = code
        self.languages = frozenset(known.values())
        self._codes = known
        self._detector = (
            LanguageDetectorBuilder.from_languages(*known).build() if len(known) > 1 else None
        )

    def scores(self, text: str) -> dict[str, float]:
        if self._detector is None:
            return dict.fromkeys(self.languages, 1.0)
        values = self._detector.compute_language_confidence_values(text)
        return {self._codes[value.language]: value.value for value in values}


class LanguageDetector:
    """Language of a text: first its script, then the script's language.

    The script is the one the model's best configured language writes in, when that script
    holds a fair share of the letters (an Urdu line with English boilerplate is Urdu), else the
    script with most letters. Within a script with several languages, letters only one of them
    writes (Pashto ښ, Kurdish ێ, Urdu ے) decide; otherwise the model scores, over that script's
    letters only and restricted to the script's configured languages, decide, and clearly
    more function words of another language overrule them. Short texts are scored by lingua
    (better on a word or two) for the languages it knows, longer ones by py3langid.
    """

    def __init__(self, profiles: list[LanguageProfile]) -> None:
        self.profiles = profiles
        # py3langid (and numpy) load with the first identifier, not with the stage's name.
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self.identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        # Identifier labels map to profiles ("ary" → "ar"); unprofiled labels stand alone.
        self.label_language = {
            label: profile.code for profile in profiles for label in profile.identifier_codes
        }
        self.script_of_language = {profile.code: profile.script for profile in profiles}
        self.by_script: dict[str, list[LanguageProfile]] = {}
        for profile in profiles:
            self.by_script.setdefault(profile.script, []).append(profile)
        self._short_text_models: dict[str, ShortTextModel] = {}

    @classmethod
    def from_data(cls) -> LanguageDetector:
        lexicons = language_lexicons("langid")
        return cls([LanguageProfile.from_data(code, data) for code, data in lexicons.items()])

    def _identifier_scores(self, text: str, allowed: set[str] | None) -> dict[str, float]:
        """Identifier probabilities per language (the best of its labels: Arabic's three
        dialect labels are one language, not three votes), renormalised over `allowed`."""
        scores: dict[str, float] = {}
        for label, probability in self.identifier.rank(text):
            language = self.label_language.get(label, label)
            if (allowed is None or language in allowed) and language not in scores:
                scores[language] = float(probability)
        total = sum(scores.values())
        return {lang: score / total for lang, score in scores.items()} if total else scores

    def _model_scores(
        self, text: str, letters: int, candidates: list[LanguageProfile]
    ) -> dict[str, float]:
        """Scores of the script's languages. A short text is scored by lingua blended with
        py3langid, over the languages lingua knows: without their own letters, Pashto and
        Kurdish (lingua knows neither) are left to their function words."""
        codes = {profile.code for profile in candidates}
        if letters < SHORT_TEXT_LETTERS:
            model = self._short_text_model(candidates[0].script)
            if len(model.languages) > 1:
                weight = SHORT_TEXT_WEIGHT.get(candidates[0].script, 1.0)
                short = model.scores(text)
                if weight >= 1.0:
                    return short
                scores = self._identifier_scores(text, codes)
                return {
                    code: weight * value + (1 - weight) * scores.get(code, 0.0)
                    for code, value in short.items()
                }
        return self._identifier_scores(text, codes)

    def _short_text_model(self, script: str) -> ShortTextModel:
        if script not in self._short_text_models:
            codes = [profile.code for profile in self.by_script[script]]
            self._short_text_models[script] = ShortTextModel(codes)
        return self._short_text_models[script]

    def _script(self, text: str, scripts: Counter[str], letters: int) -> str:
        script = scripts.most_common(1)[0][0]
        if len(scripts) == 1:
            return script
        for label, _probability in self.identifier.rank(text):
            modelled = self.script_of_language.get(self.label_language.get(label, label))
            if modelled is not None:
                if scripts[modelled] >= MIN_SCRIPT_SHARE * letters:
                    return modelled
                break
        return script

    def detect(self, text: str) -> LanguageGuess:
        text = URL.sub(" ", text)
        # Count characters once (in C), then classify each distinct letter once.
        counts = Counter(text)
        scripts: Counter[str] = Counter()
        for char, count in counts.items():
            if char.isalpha() and (script := script_of(char)) is not None:
                scripts[script] += count
        letters = sum(scripts.values())
        if letters < 2:
            return LanguageGuess(UNDETERMINED, 0.0, None)
        script = self._script(text, scripts, letters)
        if script not in self.by_script:
            # Cyrillic, ...: the identifier alone, minus the profiled scripts' languages.
            scores = self._identifier_scores(text, None)
            for code in self.script_of_language:
                scores.pop(code, None)
            language = max(scores, key=scores.__getitem__)
            shortness = min(1.0, letters / FULL_CONFIDENCE_LETTERS)
            return LanguageGuess(language, scores[language] * shortness, script)
        script_letters = scripts[script]
        if len(scripts) > 1:  # the model reads this script's run only
            text = "".join(c if script_of(c) in (script, None) else " " for c in text)
        return self._within_script(text, counts, script, script_letters)

    def _within_script(
        self, text: str, counts: Counter[str], script: str, letters: int
    ) -> LanguageGuess:
        candidates = self.by_script[script]
        shortness = min(1.0, letters / FULL_CONFIDENCE_LETTERS)
        if len(candidates) == 1:
            return LanguageGuess(candidates[0].code, shortness, script)
        marked = []
        for profile in candidates:
            if profile.min_marker_rate >= 1.0:
                continue  # letters shared with the script's other languages decide nothing
            rate = sum(counts[marker] for marker in profile.markers) / letters
            if rate >= profile.min_marker_rate:
                marked.append((profile.precedence, rate / profile.min_marker_rate, profile))
        if marked:
            _precedence, ratio, chosen = max(marked, key=lambda item: (item[0], item[1]))
            return LanguageGuess(chosen.code, min(0.99, 0.5 + ratio / 4) * shortness, script)
        scores = self._on_keyboard_evidence(
            self._model_scores(text, letters, candidates), counts, candidates
        )
        if not scores:
            return LanguageGuess(UNDETERMINED, 0.0, script)
        chosen = next(p for p in candidates if p.code == max(scores, key=scores.__getitem__))
        confidence = scores[chosen.code]
        by_words = self._ahead_on_function_words(text, candidates, chosen)
        if by_words is not None:
            chosen, confidence = by_words, 0.6
        return LanguageGuess(chosen.code, confidence * shortness, script)

    @staticmethod
    def _on_keyboard_evidence(
        scores: dict[str, float], counts: Counter[str], candidates: list[LanguageProfile]
    ) -> dict[str, float]:
        """Scores with the languages whose keyboards did not type the text (OTHER_KEYBOARD_FACTOR)
        weighed down, renormalised: models trained on a few letters mistake short Arabic for
        Persian or Urdu, but a Persian or Urdu keyboard types ی ک, not ي ك."""
        elsewhere = {p.code for p in candidates if p.typed_elsewhere(counts)}
        if not elsewhere or not scores:
            return scores
        weighed = {
            code: score * (OTHER_KEYBOARD_FACTOR if code in elsewhere else 1.0)
            for code, score in scores.items()
        }
        total = sum(weighed.values())
        return {code: score / total for code, score in weighed.items()} if total else weighed

    @staticmethod
    def _ahead_on_function_words(
        text: str, candidates: list[LanguageProfile], chosen: LanguageProfile
    ) -> LanguageProfile | None:
        """The candidate whose function words clearly outnumber those of `chosen`, if any."""
        words = folded_words(text)

        def hits(profile: LanguageProfile) -> int:
            return sum(words[word] for word in profile.function_words)

        leader = max(candidates, key=hits)
        leader_hits = hits(leader)
        if leader is chosen or leader_hits < MIN_WORD_HITS or leader_hits <= 2 * hits(chosen):
            return None
        return leader

    def spans(self, text: str, min_letters: int = 20) -> list[LanguageSpan]:
        """Language spans over the text, paragraph by paragraph, neighbours merged."""
        spans: list[LanguageSpan] = []
        pending_start: int | None = None  # short paragraphs waiting for a language
        offset = 0
        for line in text.splitlines(keepends=True):
            start, end = offset, offset + len(line.rstrip())
            offset += len(line)
            if letter_count(line) < min_letters:
                if pending_start is None and line.strip():
                    pending_start = start
                continue
            guess = self.detect(line)
            span_start = pending_start if pending_start is not None else start
            pending_start = None
            if spans and spans[-1].language == guess.language:
                last = spans[-1]
                confidence = min(last.confidence, guess.confidence)
                spans[-1] = LanguageSpan(last.start, end, guess.language, confidence)
            else:
                spans.append(LanguageSpan(span_start, end, guess.language, guess.confidence))
        if not spans:
            guess = self.detect(text)
            return [LanguageSpan(0, len(text.rstrip()), guess.language, guess.confidence)]
        if pending_start is not None:  # trailing short lines join the last span
            last = spans[-1]
            spans[-1] = LanguageSpan(last.start, len(text.rstrip()), last.language, last.confidence)
        return spans


@cache
def shared_detector() -> LanguageDetector:
    return LanguageDetector.from_data()


class LanguageStage(BaseStage):
    name = "langid"
    # 2: script by model score, distinctive letters, lingua on short text; 3: keyboard evidence
    version = "3"
    requires = ("extract",)
    description = "Language of the document and of each paragraph (models + script letters)."
    settings = (MIN_SPAN_LETTERS,)

    def process(self, ctx: StageContext) -> None:
        document = ctx.document
        text = document.text or ""
        detector = shared_detector()
        guess = detector.detect(text)
        spans = detector.spans(text, ctx.setting(MIN_SPAN_LETTERS))
        hint = document.language_hint
        if hint and (guess.language == UNDETERMINED or guess.confidence < 0.5):
            # Too little text to tell: the analyst's or source's hint decides.
            document.language, document.language_confidence = hint, None
        else:
            document.language, document.language_confidence = guess.language, guess.confidence
        document.language_spans = [span.as_dict() for span in spans]
