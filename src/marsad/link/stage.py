"""The `link` stage: mentions of knowledge-base entities, and roles read in the text."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marsad.config import Setting
from marsad.link.candidates import CANDIDATE_METHOD, default_candidate_finder
from marsad.link.linker import DocumentLinker
from marsad.link.matcher import AliasMatcher
from marsad.link.roles import RoleFinder
from marsad.link.rules import LinkingRules
from marsad.pipeline.stage import BaseStage, StageContext
from marsad.store.models import Affiliation, Alias, Mention, Relation, ReviewVerdict
from marsad.text.date_stage import language_runs
from marsad.text.normalize import default_normalizer


def parse_score(raw: str) -> float:
    value = float(raw.strip())
    if not 50.0 <= value <= 100.0:
        raise ValueError(f"expected a score between 50 and 100, got {raw!r}")
    return value


FUZZY_MIN_SCORE = Setting(
    "link_fuzzy_min_score",
    90.0,
    "Similarity (rapidfuzz ratio, 50-100) from which a Latin-script name not in the knowledge "
    "base links to the alias it is close to; 100 switches the fuzzy pass off in practice.",
    parse_score,
)

CANDIDATE_CONFIDENCE = 0.5

# One linker per state of the knowledge base: building the automaton is the costly part.
_linkers: dict[tuple[object, ...], DocumentLinker] = {}
# Read for every document: built once, as assembling a statement costs more than running it.
ALIAS_STATE = select(func.count(Alias.id), func.max(Alias.id))
KB_RELATION_STATE = select(func.count(Relation.id), func.max(Relation.id)).where(
    Relation.document_id.is_(None)
)
JUDGED_NAMES = select(ReviewVerdict.key, ReviewVerdict.kind)


def _kb_state(session: Session) -> tuple[object, ...]:
    aliases = session.execute(ALIAS_STATE).one()
    relations = session.execute(KB_RELATION_STATE).one()
    return (*aliases, *relations)


def linker_for(ctx: StageContext) -> DocumentLinker:
    skip = ctx.settings.normalize_skip
    score = float(ctx.setting(FUZZY_MIN_SCORE))
    bind = ctx.session.get_bind()
    key = (str(bind.engine.url), skip, score, *_kb_state(ctx.session))
    linker = _linkers.get(key)
    if linker is None:
        normalizer = default_normalizer(skip)
        matcher = AliasMatcher.from_session(
            ctx.session, normalizer, LinkingRules.from_data(normalizer)
        )
        linker = DocumentLinker(matcher, score, RoleFinder.from_data(normalizer))
        _linkers.clear()
        _linkers[key] = linker
    return linker


def judged_names(session: Session) -> set[tuple[str, str]]:
    """(normalised surface, kind) of every name an analyst has confirmed or rejected."""
    return {(key, kind) for key, kind in session.execute(JUDGED_NAMES)}


class LinkStage(BaseStage):
    name = "link"
    version = "3"
    requires = ("langid",)
    description = (
        "Mentions of knowledge-base entities (Aho-Corasick over normalised aliases and their "
        "variants, clitic prefixes, context for short or ambiguous names, a fuzzy pass for "
        "Latin-script spellings), roles read in the text as relations with evidence, "
        "adjectives of nationality as affiliations of the noun they qualify, and "
        "new person and organisation names for the review queue (`marsad review`)."
    )
    settings = (FUZZY_MIN_SCORE,)

    def process(self, ctx: StageContext) -> None:
        self.clear_own_rows(ctx, Mention)
        self.clear_own_rows(ctx, Relation)
        self.clear_own_rows(ctx, Affiliation)
        document = ctx.document
        text = document.text or ""
        if not text:
            return
        runs = language_runs(document)
        links = linker_for(ctx).link(text, runs)
        self.write_rows(
            ctx,
            Mention,
            (
                dict(
                    document_id=document.id,
                    entity_id=mention.entity_id,
                    stage=self.name,
                    surface=mention.surface,
                    start=mention.start,
                    end=mention.end,
                    method=mention.method,
                    confidence=mention.confidence,
                )
                for mention in links.mentions
            ),
        )
        self.write_rows(
            ctx,
            Relation,
            (
                dict(
                    subject_id=relation.subject_id,
                    predicate=relation.predicate,
                    object_id=relation.object_id,
                    document_id=document.id,
                    stage=self.name,
                    evidence_start=relation.start,
                    evidence_end=relation.end,
                )
                for relation in links.relations
            ),
        )
        self.write_rows(
            ctx,
            Affiliation,
            (
                dict(
                    document_id=document.id,
                    entity_id=affiliation.entity_id,
                    stage=self.name,
                    surface=affiliation.surface,
                    start=affiliation.start,
                    end=affiliation.end,
                    head_start=affiliation.head_start,
                    head_end=affiliation.head_end,
                )
                for affiliation in links.affiliations
            ),
        )
        finder = default_candidate_finder(ctx.settings.normalize_skip)
        linked = [(mention.start, mention.end) for mention in links.mentions]
        self.write_rows(
            ctx,
            Mention,
            (
                dict(
                    document_id=document.id,
                    entity_id=None,
                    stage=self.name,
                    surface=candidate.surface,
                    start=candidate.start,
                    end=candidate.end,
                    method=CANDIDATE_METHOD,
                    confidence=CANDIDATE_CONFIDENCE,
                    candidate_kind=candidate.kind,
                )
                for candidate in finder.find(text, runs, linked, judged_names(ctx.session))
            ),
        )
