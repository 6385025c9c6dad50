"""The gazetteer (data/kb/places-*.yaml): countries, provinces and cities of the region in
English, Arabic, Persian and Hebrew, linked in text like any entity — with clitics, movement
phrasings, and context for place names that are also words or personal names."""

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pycountry
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.errors import KnowledgeBaseError
from marsad.export.records import records_of
from marsad.link.aliases import default_variant_generator
from marsad.link.kb import KB_DIR, KBEntry, load_kb, read_kb_file, validate_entries
from marsad.link.matcher import AliasMatcher, MentionMatch
from marsad.link.places import enclosing_places, place_neighbourhoods
from marsad.link.store import PHRASING, KnowledgeBaseStore
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Alias, Entity
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace
from tests.conftest import workspace_for

REGION = {"iq", "sy", "lb", "jo", "il", "ps", "eg", "sa", "ye", "kw", "qa", "bh", "ae", "om",
          "ir", "tr", "af", "pk"}  # fmt: skip
# Countries whose every first-level subdivision (ISO 3166-2) the gazetteer holds.
COMPLETE = ("iq", "sy", "lb", "ps", "il")
PLACE = "marsad-place-"


@pytest.fixture(scope="module")
def places() -> list[KBEntry]:
    return [entry for entry in load_kb() if entry.kind == "place"]


@pytest.fixture(scope="module")
def session(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """The whole shipped KB (places beside organisations and persons, whose names they must
    not shadow) in a home of the module, loaded the way `marsad kb sync` loads it."""
    with workspace_for(backend, tmp_path_factory.mktemp("places")) as workspace:
        with workspace.database.session() as session:
            store = KnowledgeBaseStore(session, default_normalizer(), default_variant_generator())
            store.sync(load_kb())
            session.flush()
            yield session


@pytest.fixture(scope="module")
def matcher(session: Session) -> AliasMatcher:
    return AliasMatcher.from_session(session)


def linked(matcher: AliasMatcher, text: str) -> list[tuple[str, str]]:
    return [(m.entity_id, m.surface) for m in matcher.find_mentions(text)]


def place_ids(matcher: AliasMatcher, text: str) -> list[str]:
    return [m.entity_id for m in matcher.find_mentions(text) if m.entity_id.startswith(PLACE)]


def test_gazetteer_has_the_places_types_and_languages(places: list[KBEntry]) -> None:
    assert len(places) >= 150
    types = Counter(entry.place_type for entry in places)
    assert types["country"] == len(REGION) and types["province"] >= 80 and types["city"] >= 80
    assert set(types) == {"country", "region", "province", "city"}
    for entry in places:
        languages = {alias.language for alias in entry.all_names()}
        assert {"en", "ar", "fa", "he"} <= languages, entry.id
    urdu = sum(any(a.language == "ur" for a in entry.aliases) for entry in places)
    assert urdu >= 60


def test_countries_carry_their_iso_code_and_name(places: list[KBEntry]) -> None:
    countries = [entry for entry in places if entry.place_type == "country"]
    assert {entry.country for entry in countries} == REGION
    for entry in countries:
        names = [entry.name, *(a.name for a in entry.aliases if a.language == "en")]
        names += [f"the {name}" for name in names]  # ISO: "the State of Palestine"
        codes = set()
        for name in names:
            try:
                codes.add(pycountry.countries.lookup(name).alpha_2.lower())
            except LookupError:
                continue
        assert codes == {entry.country}, (entry.id, codes)
    for entry in places:
        if entry.country:
            assert pycountry.countries.get(alpha_2=entry.country.upper()), entry.id


def test_every_province_and_city_lies_in_a_country_of_its_own_code(
    session: Session, places: list[KBEntry]
) -> None:
    by_id = {entry.id: entry for entry in places}
    for entry in places:
        if entry.place_type == "country":
            assert not entry.relations, entry.id
            continue
        parents = [r.object_id for r in entry.relations if r.predicate == "part_of"]
        assert parents and all(p in by_id for p in parents), entry.id
        chain = enclosing_places(session, entry.id)
        countries = [p for p in chain if (p.properties or {}).get("place_type") == "country"]
        assert countries, entry.id
        if entry.country:  # Jerusalem has none: its status is disputed (see its description)
            assert [(c.properties or {}).get("country") for c in countries] == [entry.country]


@pytest.mark.parametrize("country", COMPLETE)
def test_countries_with_every_province_match_iso_3166_2(
    places: list[KBEntry], country: str
) -> None:
    provinces = [e for e in places if e.place_type == "province" and e.country == country]
    official = list(pycountry.subdivisions.get(country_code=country.upper()))
    regions = [s for s in official if s.type == "Region"]  # Iraq's Kurdistan Region
    assert len(provinces) == len(official) - len(regions)


def test_enclosing_places_go_from_the_nearest_up(session: Session) -> None:
    chain = enclosing_places(session, "marsad-place-iq-erbil")
    assert [p.name for p in chain] == ["Erbil Governorate", "Kurdistan Region", "Iraq"]


def test_a_place_neighbourhood_holds_what_it_lies_in_and_what_lies_in_it() -> None:
    pairs = [("city", "province"), ("province", "country"), ("town", "province")]
    around = place_neighbourhoods(pairs)
    assert around["city"] == {"province", "country"}
    assert around["country"] == {"province", "city", "town"}
    assert around["province"] == {"city", "town", "country"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وصل الوفد إلى بغداد صباح الأحد قادما من البصرة.", ["iq-baghdad", "iq-basra"]),
        ("عقد الاجتماع في البصرة وبغداد ثم انتقل الوفد لطهران.",
         ["iq-basra", "iq-baghdad", "ir-tehran"]),
        ("وفي الموصل افتتحت بلدية المدينة جسرا جديدا، وبالنجف سوقا.", ["iq-mosul", "iq-najaf"]),
        ("قال محافظ محافظة البصرة إن الموسم الزراعي في الأنبار جيد.",
         ["iq-basra-governorate", "iq-anbar"]),
        ("هیئت اقتصادی از تهران به بغداد و سپس به دمشق سفر کرد.",
         ["ir-tehran", "iq-baghdad", "sy-damascus"]),
        ("نمایشگاه کتاب در اصفهان و شیراز برگزار شد.", ["ir-isfahan", "ir-shiraz"]),
        ("המשלחת נחתה בבגדד ומשם המשיכה לטהרן ולביירות.",
         ["iq-baghdad", "ir-tehran", "lb-beirut"]),
        ("ראש העירייה של חיפה ביקר באילת.", ["il-haifa", "il-eilat"]),
        ("The delegation flew from Baghdad to Tehran, then on to Beirut.",
         ["iq-baghdad", "ir-tehran", "lb-beirut"]),
        ("Flooding closed roads in Basra's old town and in Karbala.", ["iq-basra", "iq-karbala"]),
        ("وذكر التقرير أن قطاع غزة ومدينة غزة شهدا انقطاعا للكهرباء.",
         ["ps-gaza-strip", "ps-gaza-city"]),
    ],
)  # fmt: skip
def test_places_link_in_each_language_with_clitics(
    matcher: AliasMatcher, text: str, expected: list[str]
) -> None:
    mentions = [m for m in matcher.find_mentions(text) if m.entity_id.startswith(PLACE)]
    assert [m.entity_id for m in mentions] == [PLACE + place for place in expected]
    assert all(matcher.kind_of(m.entity_id) == "place" for m in mentions)
    for mention in mentions:  # offsets into the original text
        assert text[mention.start : mention.end] == mention.surface


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("ووصل الوفد وبغداد تستعد للقمة.", "بغداد"),
        ("سافر الوفد لطهران أمس.", "طهران"),
        ("قدم الدعم للبصرة والموصل.", "بصرة"),
        ("המשלחת נחתה בבגדד אתמול.", "בגדד"),
        ("הוא חזר מטהרן בלילה.", "טהרן"),
    ],
)
def test_a_clitic_stays_outside_the_place_mention(
    matcher: AliasMatcher, text: str, surface: str
) -> None:
    mentions = [m for m in matcher.find_mentions(text) if m.entity_id.startswith(PLACE)]
    assert mentions[0].surface == surface
    assert text[mentions[0].start : mentions[0].end] == surface


@pytest.mark.parametrize(
    ("text", "surface", "place"),
    [
        ("وقال البيان إن الكيان الصهيوني نفذ غارة جديدة.", "الكيان الصهيوني", "il"),
        ("وتحدث الخطيب عن العمليات في فلسطين المحتلة.", "فلسطين المحتلة", "il"),
        ("ونقلت الوكالة أخبار المواجهات في الأراضي المحتلة.", "الأراضي المحتلة", "ps"),
        ("سخنگو گفت رژیم صهیونیستی مسئول این حادثه است.", "رژیم صهیونیستی", "il"),
        ("The statement accused the Zionist entity of the strike.", "Zionist entity", "il"),
        ("Clashes were reported across the occupied territories.", "occupied territories", "ps"),
        ("وأعلن المجلس المحلي في القدس المحتلة موعد الانتخابات.", "القدس المحتلة", "jerusalem"),
    ],
)
def test_movement_phrasings_link_to_the_place_they_denote(
    matcher: AliasMatcher, text: str, surface: str, place: str
) -> None:
    mentions = [m for m in matcher.find_mentions(text) if m.entity_id.startswith(PLACE)]
    assert [(m.entity_id, m.surface, m.method) for m in mentions] == [
        (PLACE + place, surface, "phrasing")
    ]


def test_a_phrasing_keeps_why_it_denotes_the_place(session: Session) -> None:
    israel = session.get(Entity, "marsad-place-il")
    assert israel is not None
    phrasings = {p["name"]: p for p in israel.properties["phrasings"]}
    assert phrasings["الكيان الصهيوني"]["language"] == "ar"
    assert "Movement phrasing" in phrasings["الكيان الصهيوني"]["note"]
    origins = {
        a.name: a.origin
        for a in session.scalars(select(Alias).where(Alias.entity_id == "marsad-place-il"))
    }
    assert origins["رژیم صهیونیستی"] == PHRASING and origins["إسرائيل"] == "kb"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # عمان is Amman and Oman: the country named around it decides.
        ("وصل الوزير إلى عمان مساء الأحد.", []),
        ("زار الوزير الأردن وقال في عمان إن المحادثات مثمرة.", ["jo", "jo-amman"]),
        ("وصل الوفد إلى سلطنة عمان ثم إلى مسقط.", ["om", "om-muscat"]),
        # place names that are everyday words or personal names
        ("نشرت الصحيفة صور الاجتماع على موقعها.", []),
        ("نشرت الصحيفة وصور الاجتماع على موقعها.", []),
        ("وعاد الشاعر إلى مسقط رأسه بعد غياب طويل.", []),
        ("قال إبراهيم الخليل إن المشروع سيكتمل قريبا.", []),
        ("افتتح معرض في صور وآخر في صيدا جنوب لبنان.", ["lb-tyre", "lb-sidon", "lb-south-lebanon"]),
        ("Jordan Smith presented the quarterly report.", []),
        ("The minister visited Amman before returning from Jordan.", ["jo-amman", "jo"]),
        ("המחיר של חלב עלה השבוע.", []),
        ("הדיווחים מסוריה הגיעו מחלב ומחומס.", ["sy", "sy-aleppo", "sy-homs"]),
    ],
)  # fmt: skip
def test_ambiguous_place_names_need_a_place_around_them(
    matcher: AliasMatcher, text: str, expected: list[str]
) -> None:
    assert place_ids(matcher, text) == [PLACE + place for place in expected]


def test_context_resolved_places_say_so(matcher: AliasMatcher) -> None:
    mentions: list[MentionMatch] = matcher.find_mentions("زار الوزير الأردن ثم عاد إلى عمان.")
    assert [(m.entity_id, m.method) for m in mentions] == [
        ("marsad-place-jo", "alias"),
        ("marsad-place-jo-amman", "context"),
    ]


def test_places_do_not_shadow_organisations(matcher: AliasMatcher) -> None:
    text = "أعلنت سرايا القدس أن اجتماعا عقد في القدس."
    found = linked(matcher, text)
    assert found[-1] == ("marsad-place-jerusalem", "قدس")
    assert found[0][0].startswith("marsad-org-") and "القدس" in found[0][1]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "kind: place\n    place_type: village",
            r"entry 1 \(test-x\): field 'place_type': unknown",
        ),
        ("kind: organization\n    place_type: city", "'place_type': only places have one"),
    ],
)
def test_a_bad_place_type_names_the_entry_and_field(
    tmp_path: Path, entry: str, message: str
) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(
        f"entities:\n  - id: test-x\n    name: X\n    {entry}\n    sources: [test entry]\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match=message):
        read_kb_file(path)


def test_part_of_links_places_only(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(
        "kind: place\nentities:\n  - id: test-place-x\n    name: X\n    sources: [test entry]\n"
        "    relations: [{predicate: part_of, object: test-org-y}]\n"
        "  - id: test-org-y\n    kind: organization\n    name: Y\n    sources: [test entry]\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match="part_of does not link a place to"):
        validate_entries(read_kb_file(path))


ARTICLE = (
    "تقرير إخباري\n"
    "وصل وفد من وزارة الزراعة إلى بغداد يوم الأحد قادما من البصرة، وبحث مع المسؤولين "
    "مشاريع الري في الأنبار. وقال المتحدث إن الوفد سيزور طهران الشهر المقبل.\n"
)


def test_the_link_stage_stores_place_mentions(workspace: Workspace, tmp_path: Path) -> None:
    places = [e for path in sorted(KB_DIR.glob("places-*.yaml")) for e in read_kb_file(path)]
    validate_entries(places)
    with workspace.database.session() as session:
        store = KnowledgeBaseStore(session, default_normalizer(), default_variant_generator())
        store.sync(places)
    page = tmp_path / "report.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    summary = Ingestor(workspace).ingest([str(page)], language="ar")
    assert summary.pipeline.failures == []
    with workspace.database.session() as session:
        mentions = list(records_of("mentions", session))
    assert [(m["entity_id"], m["entity_kind"]) for m in mentions] == [
        ("marsad-place-iq-baghdad", "place"),
        ("marsad-place-iq-basra", "place"),
        ("marsad-place-iq-anbar", "place"),
        ("marsad-place-ir-tehran", "place"),
    ]
