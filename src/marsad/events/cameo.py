"""Scoring the event coder on third-party sentences coded in CAMEO or in WEIS, its
predecessor, through the documented mapping code -> Marsad type (`cameo_map` and `weis_map`
in data/taxonomy.yaml, tables in docs/taxonomy.md).

The PETRARCH2 unit-test records (../shared/eval/events_petrarch/) are coded in WEIS: their
validation verb dictionary (PETR.Validate.verbs.txt) is a KEDS dictionary whose "codes are
WEIS, not CAMEO" — "welcomed" is 041 (WEIS praise, CAMEO "discuss by telephone"), "urged"
102 (WEIS urge, CAMEO "appeal for policy support"), "postponed the meeting" 191 (WEIS cancel
a planned event, CAMEO "impose blockade"). They are scored through `weis_map`.

Which sentences count: those with a gold coding whose code has a root of the scheme (CAMEO
01-20, WEIS 01-22), and those marked `noevents` (no event: a detection there is a false
alarm). PETRARCH's program-error records and its test codes outside the scheme (345, 80x-91x)
are left out.

- detection: a sentence with a gold event in which Marsad codes any event (events it marks
  as background, told in passing, are not counted: CAMEO codes the news); precision is over
  the scored sentences in which Marsad codes an event.
- typed: a gold coding is matched by an event of a type its CAMEO code maps to, in its
  sentence. CAMEO codes one dyad per coding where Marsad codes one event with all its
  actors ("A and B welcomed ..." is two codings, one event), so an event may match several
  codings of its sentence.
- actor and target: on matched codings, the gold source code is one of the event's actors and
  the gold target (when there is one) one of its other participants. Codes compare by their
  country or body part (the first three letters, six for IGO/NGO codes); a gold code without
  a country ("---GOV") compares by its agent class. An actor's code comes from the agents
  lexicon (events.agents): a country, body or agent noun; for an unknown proper name, its
  first three letters, which is how the records' invented states are coded (Gondor = GON).
  A gold actor coded "---" (unidentified, "burned down its embassy") is no actor to compare.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from marsad.events.agents import AgentLexicon
from marsad.events.model import AgentCode, CodedEvent
from marsad.events.taxonomy import Taxonomy

ROOTS = {
    "cameo": frozenset(f"{root:02d}" for root in range(1, 21)),
    "weis": frozenset(f"{root:02d}" for root in range(1, 23)),
}
UNKNOWN_COUNTRY = "---"
BODY_PREFIXES = ("IGO", "NGO")


@dataclass(frozen=True)
class CameoCoding:
    source: str | None
    target: str | None
    code: str


@dataclass(frozen=True)
class CameoSentence:
    id: str
    published: str  # YYYY-MM-DD
    text: str
    codings: tuple[CameoCoding, ...]

    @property
    def has_events(self) -> bool:
        return bool(self.codings)


def load_petrarch_records(path: Path, scheme: str = "weis") -> list[CameoSentence]:
    """The scored sentences of a PETRARCH validation file (see the module docstring)."""
    roots = ROOTS[scheme]
    root = ElementTree.parse(path).getroot()
    sentences = []
    for element in root.iter("Sentence"):
        codings = element.findall("EventCoding")
        text = " ".join((element.findtext("Text") or "").split())
        day = element.get("date", "")
        published = f"{day[:4]}-{day[4:6]}-{day[6:8]}"
        if any(c.get("noevents") for c in codings):
            sentences.append(CameoSentence(element.get("id", ""), published, text, ()))
            continue
        kept = tuple(
            CameoCoding(
                _known(c.get("sourcecode")), _known(c.get("targetcode")), c.get("eventcode", "")
            )
            for c in codings
            if c.get("eventcode", "")[:2] in roots
        )
        if kept and not any(c.get("error") for c in codings):
            sentences.append(CameoSentence(element.get("id", ""), published, text, kept))
    return sentences


def _known(code: str | None) -> str | None:
    """ "---" codes an actor the coder could not identify: no actor to compare."""
    return code if code and code.strip("-") else None


def mapped_types(taxonomy: Taxonomy, code: str, scheme: str = "cameo") -> tuple[str, ...]:
    """The Marsad types a CAMEO (or WEIS) code maps to: its longest prefix in the table."""
    table = taxonomy.code_map(scheme)
    for length in range(len(code), 1, -1):
        types = table.get(code[:length])
        if types:
            return types
    return ()


def codes_agree(gold: str | None, predicted: AgentCode | None) -> bool:
    if not gold or predicted is None:
        return False
    country = gold[:6] if gold.startswith(BODY_PREFIXES) else gold[:3]
    if country.startswith(UNKNOWN_COUNTRY):
        return predicted.sector is not None and predicted.sector == gold[3:6]
    return predicted.country is not None and predicted.country[: len(country)] == country


@dataclass
class CameoScores:
    sentences_with_events: int = 0
    sentences_without: int = 0
    detected: int = 0
    false_alarms: int = 0
    codings: int = 0
    typed: int = 0
    events: int = 0
    events_typed: int = 0
    roles_right: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def detection_recall(self) -> float:
        return self.detected / self.sentences_with_events if self.sentences_with_events else 0.0

    @property
    def detection_precision(self) -> float:
        flagged = self.detected + self.false_alarms
        return self.detected / flagged if flagged else 0.0

    @property
    def typed_recall(self) -> float:
        return self.typed / self.codings if self.codings else 0.0

    @property
    def typed_precision(self) -> float:
        return self.events_typed / self.events if self.events else 0.0

    @property
    def roles_accuracy(self) -> float:
        return self.roles_right / self.typed if self.typed else 0.0


def _roles_right(
    event: CodedEvent,
    coding: CameoCoding,
    code_of: Callable[[str], AgentCode | None],
    symmetric: bool,
) -> bool:
    """In a symmetric type (A met B = B met A) any two of its parties make the dyad."""
    if symmetric:
        parties = [code_of(a.surface) for a in event.actors]
        for index, party in enumerate(parties):
            if codes_agree(coding.source, party):
                others = parties[:index] + parties[index + 1 :]
                if not coding.target or any(codes_agree(coding.target, c) for c in others):
                    return True
        return False
    actors = [code_of(a.surface) for a in event.actors if a.role == "actor"]
    others = [code_of(a.surface) for a in event.actors if a.role != "actor"]
    if not any(codes_agree(coding.source, c) for c in actors):
        return False
    return not coding.target or any(codes_agree(coding.target, c) for c in others + actors[1:])


def score_sentence(
    sentence: CameoSentence,
    predicted: Sequence[CodedEvent],
    taxonomy: Taxonomy,
    agents: AgentLexicon,
    scores: CameoScores,
    scheme: str = "cameo",
) -> None:
    predicted = [e for e in predicted if e.modality != "background"]  # told in passing
    if not sentence.has_events:
        scores.sentences_without += 1
        if predicted:
            scores.false_alarms += 1
            scores.errors.append(f"{sentence.id}: false alarm {[e.type for e in predicted]}")
        return
    scores.sentences_with_events += 1
    scores.detected += bool(predicted)
    scores.codings += len(sentence.codings)
    scores.events += len(predicted)
    wanted = {t for c in sentence.codings for t in mapped_types(taxonomy, c.code, scheme)}
    scores.events_typed += sum(e.type in wanted for e in predicted)
    for coding in sentence.codings:
        types = mapped_types(taxonomy, coding.code, scheme)
        candidates = [e for e in predicted if e.type in types]
        if not candidates:
            scores.errors.append(
                f"{sentence.id}: missed {coding.code} {types} got {[e.type for e in predicted]}"
            )
            continue
        right = [
            e
            for e in candidates
            if _roles_right(e, coding, agents.code_of, taxonomy.get(e.type).symmetric)
        ]
        event = (right or candidates)[0]
        scores.typed += 1
        if right:
            scores.roles_right += 1
        else:
            got = [(a.role, a.surface, str(agents.code_of(a.surface))) for a in event.actors]
            scores.errors.append(f"{sentence.id}: roles {coding.source}->{coding.target} got {got}")


def score_cameo(
    sentences: Iterable[CameoSentence],
    code: Callable[[CameoSentence], list[CodedEvent]],
    taxonomy: Taxonomy,
    agents: AgentLexicon,
    scheme: str = "cameo",
) -> CameoScores:
    scores = CameoScores()
    for sentence in sentences:
        score_sentence(sentence, code(sentence), taxonomy, agents, scores, scheme)
    return scores
