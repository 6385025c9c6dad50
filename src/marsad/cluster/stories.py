"""Stories: every copy of one text, in the order they appeared, and how it spread.

A story is a near-duplicate group (the `neardup` stage's `cluster_id`, named by the first copy
Marsad saw), joined with groups and lone documents in other languages about the same happening
(`cluster.crosslingual`; the story keeps the smallest id). Its members come in appearance
order (`cluster.origin`), so the first member is the story's first appearance and the order of
their sources is the order the text travelled.
Edges are what the copies themselves say about where they came from: a Telegram post
"forwarded from" a channel (an edge from the member posted by that channel, or from the channel
itself when Marsad holds no copy of it), and a copy linking to another member's URL.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from marsad.cluster.crosslingual import (
    CrossLanguageLink,
    cross_language_links,
    entity_names,
    group_facts,
    join_groups,
)
from marsad.cluster.origin import appearance_order, appeared_by
from marsad.errors import EntityNotFound
from marsad.store.models import Alias, Capture, Document, Entity, Mention
from marsad.text.normalize import default_normalizer

URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'«»]+")
BATCH = 500


def url_key(url: str) -> str:
    """A URL compared loosely: no scheme, no 'www.', no trailing slash or fragment."""
    bare = re.sub(r"^https?://(www\.)?", "", url.strip().lower()).split("#", 1)[0]
    return bare.rstrip("/.,;)")


@dataclass(frozen=True)
class StoryMember:
    document_id: int
    url: str
    source: str | None
    author: str | None
    language: str | None
    published: str | None
    appeared_by: datetime

    def as_record(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "url": self.url,
            "source": self.source,
            "author": self.author,
            "language": self.language,
            "published": self.published,
            "appeared_by": self.appeared_by.isoformat(),
        }


@dataclass(frozen=True)
class StoryEdge:
    """`origin` (a member's document id, or 'telegram:NAME' outside the store) -> `document_id`."""

    origin: int | str
    document_id: int
    kind: str  # forward | link

    def as_record(self) -> dict[str, Any]:
        return {"from": self.origin, "to": self.document_id, "kind": self.kind}


@dataclass(frozen=True)
class Story:
    id: int
    members: tuple[StoryMember, ...]  # appearance order
    edges: tuple[StoryEdge, ...]
    joins: tuple[CrossLanguageLink, ...] = ()  # why groups in other languages belong here

    @property
    def first(self) -> StoryMember:
        return self.members[0]

    @property
    def sources_in_order(self) -> list[str]:
        names = (member.source or member.author or member.url for member in self.members)
        return list(dict.fromkeys(names))

    @property
    def languages(self) -> list[str]:
        return sorted({m.language for m in self.members if m.language})

    def as_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "size": len(self.members),
            "languages": self.languages,
            "first": self.first.as_record(),
            "sources_in_order": self.sources_in_order,
            "members": [member.as_record() for member in self.members],
            "edges": [edge.as_record() for edge in self.edges],
            "cross_language": [join.as_record() for join in self.joins],
        }


def _member(document: Document) -> StoryMember:
    properties = document.properties or {}
    source = document.capture.source
    return StoryMember(
        document_id=document.id,
        url=document.url,
        source=source.name if source else None,
        author=properties.get("author"),
        language=document.language,
        published=document.published,
        appeared_by=appeared_by(document),
    )


def _forward_edges(
    ordered: Sequence[Document], members: Sequence[StoryMember]
) -> Iterator[StoryEdge]:
    for position, document in enumerate(ordered):
        origin_name = (document.properties or {}).get("forwarded_from")
        if not origin_name:
            continue
        wanted = str(origin_name).lstrip("@").lower()
        earlier = [
            m
            for m in members[:position]
            if wanted in {(m.author or "").lstrip("@").lower(), (m.source or "").lower()}
            or f"t.me/{wanted}/" in m.url.lower()
        ]
        origin: int | str = earlier[0].document_id if earlier else f"telegram:{origin_name}"
        yield StoryEdge(origin, document.id, "forward")


def _link_edges(ordered: Sequence[Document]) -> Iterator[StoryEdge]:
    by_url: dict[str, int] = {}
    for document in ordered:
        for url in (document.url, document.canonical_url):
            if url:
                by_url.setdefault(url_key(url), document.id)
    for document in ordered:
        links = list((document.properties or {}).get("links") or ())
        links += URL_IN_TEXT.findall(document.text or "")
        targets = {by_url.get(url_key(link)) for link in links} - {None, document.id}
        for target in sorted(t for t in targets if t is not None):
            yield StoryEdge(target, document.id, "link")


def story_of(
    story_id: int, documents: Sequence[Document], joins: Sequence[CrossLanguageLink] = ()
) -> Story:
    ordered = appearance_order(documents)
    members = tuple(_member(document) for document in ordered)
    edges = (*_forward_edges(ordered, members), *_link_edges(ordered))
    return Story(story_id, members, tuple(edges), tuple(joins))


def entity_ids_named(session: Session, name: str) -> set[str]:
    """Entities whose id, name or any alias is `name` (compared normalised, any script)."""
    key = default_normalizer().key(name)
    found = set(
        session.scalars(select(Entity.id).where(or_(Entity.id == name, Entity.name == name))).all()
    )
    found.update(session.scalars(select(Alias.entity_id).where(Alias.normalized == key)).all())
    if not found:
        raise EntityNotFound(f"no entity is named {name!r}")
    return found


def _documents_matching(session: Session, since: str | None, entity: str | None) -> set[int] | None:
    """Ids of documents passing the filters (None: no filter asked)."""
    if not since and not entity:
        return None
    query = select(Document.id)
    if since:
        moment = datetime.fromisoformat(since).replace(tzinfo=UTC)
        query = query.where(or_(Document.published >= since, Document.first_seen_at >= moment))
    if entity:
        mentioned = select(Mention.document_id).where(
            Mention.entity_id.in_(entity_ids_named(session, entity))
        )
        query = query.where(Document.id.in_(mentioned))
    return set(session.scalars(query))


def load_stories(
    session: Session,
    since: str | None = None,
    entity: str | None = None,
    min_size: int = 2,
) -> Iterator[Story]:
    """Stories of at least `min_size` documents, oldest story id first.

    A story joins near-duplicate groups and lone documents across languages (see
    `cluster.crosslingual`). `since` (YYYY-MM-DD) keeps stories with a document published or
    first seen on or after that day; `entity` keeps stories where a document mentions it.
    """
    matching = _documents_matching(session, since, entity)
    group_of, facts = group_facts(session)
    links = cross_language_links(facts, entity_names(session, facts))
    story_of_group, links = join_groups(facts, links)
    members: dict[int, list[int]] = defaultdict(list)
    for document_id, group in group_of.items():
        members[story_of_group[group]].append(document_id)
    joins: dict[int, list[CrossLanguageLink]] = defaultdict(list)
    for link in links:
        joins[story_of_group[link.first]].append(link)
    for story_id in sorted(members):
        ids = members[story_id]
        if len(ids) < min_size or (matching is not None and matching.isdisjoint(ids)):
            continue
        documents = session.scalars(
            select(Document)
            .where(Document.id.in_(ids))
            .options(joinedload(Document.capture).joinedload(Capture.source))
        ).all()
        yield story_of(story_id, documents, joins[story_id])


def is_first_appearance(session: Session, document: Document) -> bool:
    """Is this copy the first appearance of its text (alone, or first of its story)?"""
    if document.cluster_id is None:
        return True
    copies = session.scalars(select(Document).where(Document.cluster_id == document.cluster_id))
    return appearance_order(copies)[0].id == document.id
