"""`marsad kb sync|import|add|show` as a user runs them: a real process and a real home."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.config import Settings
from tests.commandline import marsad_for
from tests.conftest import database_for, make_settings, workspace_for
from tests.link.test_sanctions import UN_XML

CSV = (
    "id,kind,name,aliases,designations,sources\n"
    'marsad-org-example-front,organization,Example Front,"ar:جبهة المثال; he:חזית הדוגמה",'
    "us-fto,nctc\n"
)


@pytest.fixture(scope="module")
def home(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """One home for the module on each backend (each command is a process start): the tests
    use distinct ids."""
    with workspace_for(backend, tmp_path_factory.mktemp("kb")) as workspace:
        yield workspace.settings


def test_kb_sync_then_show_finds_a_person_by_persian_and_latin_spellings(
    home: Settings,
) -> None:
    synced = marsad_for(home, "kb", "sync")
    assert "kb sync: " in synced.stdout and " entities added, 0 updated" in synced.stdout
    for spelling in ("اکرم کعبی", "Akram al-Kaabi"):
        shown = marsad_for(home, "kb", "show", spelling).stdout
        assert shown.startswith("Akram al-Kaabi  person  marsad-person-akram-al-kaabi"), spelling
        assert "secretary_general_of→ Harakat Hezbollah al-Nujaba" in shown


def test_kb_show_gives_a_place_its_type_parents_and_phrasings(home: Settings) -> None:
    marsad_for(home, "kb", "sync")  # idempotent: this test may run alone
    shown = marsad_for(home, "kb", "show", "Baghdad").stdout
    assert shown.startswith("Baghdad  place  marsad-place-iq-baghdad")
    assert "country: iq" in shown and "city in Baghdad Governorate › Iraq" in shown
    assert "ar: بغداد" in shown and "he: בגדאד" in shown
    israel = marsad_for(home, "kb", "show", "الكيان الصهيوني").stdout
    assert israel.startswith("Israel  place  marsad-place-il")
    assert "phrasings: Zionist entity · " in israel and " · الكيان الصهيوني · " in israel
    assert "(Movement phrasing: names Israel without naming the state" in israel


def test_kb_import_twice_then_add_an_alias_and_show_it(home: Settings, tmp_path: Path) -> None:
    path = tmp_path / "entities.csv"
    path.write_text(CSV, encoding="utf-8")
    first = marsad_for(home, "kb", "import", str(path))
    assert "1 entities read, 0 records skipped; 1 entities added" in first.stdout
    second = marsad_for(home, "kb", "import", str(path))
    assert "0 entities added, 0 updated" in second.stdout
    added = marsad_for(
        home, "kb", "add", "organization", "Example Front",
        "--id", "marsad-org-example-front", "--alias", "fa:جبهه مثال",
    )  # fmt: skip
    assert "updated organization 'Example Front'" in added.stdout
    shown = marsad_for(home, "kb", "show", "لجبهة المثال").stdout
    assert "fa: جبهه مثال" in shown and "he: חזית הדוגמה" in shown
    assert "designated: US State Department — Foreign Terrorist Organizations" in shown


def test_kb_add_makes_an_id_from_any_script_and_finds_it_again(home: Settings) -> None:
    added = marsad_for(
        home, "kb", "add", "person", "Example Spokesman", "--alias", "ar:المتحدث المثال"
    )
    assert "(marsad-person-example-spokesman)" in added.stdout
    assert (
        "marsad-person-example-spokesman" in marsad_for(home, "kb", "show", "المتحدث المثال").stdout
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("kb", "show", "Nobody We Know"), "error: no entity is called 'Nobody We Know'"),
        (("kb", "add", "person", "X", "--alias", "nocolon"), "expected LANG:NAME"),
        (("kb", "add", "person", "X", "--alias", "ar:Latin"), "field 'aliases.ar'"),
        (("kb", "import", "/no/such/file.csv"), "no such file"),
    ],
)
def test_kb_errors_are_one_line_and_exit_1(
    home: Settings, args: tuple[str, ...], message: str
) -> None:
    result = marsad_for(home, *args, check=False)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_kb_import_reads_the_un_consolidated_list(home: Settings, tmp_path: Path) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_text(UN_XML, encoding="utf-8")
    imported = marsad_for(home, "kb", "import", str(path))
    assert "2 entities read, 0 records skipped; 2 entities added" in imported.stdout
    shown = marsad_for(home, "kb", "show", "عبد الكريم المثال").stdout
    assert shown.startswith("Abd Al-Karim Al-Mithal  person  un-yei.901")
    assert "2140 Sanctions List (Yemen)" in shown and "2015-04-14" in shown


def test_init_loads_the_bundled_knowledge_base_once(tmp_path: Path) -> None:
    with database_for("sqlite", tmp_path) as url:
        settings = make_settings(tmp_path / "home", url)
        first = marsad_for(settings, "init").stdout
        assert " entities added, 0 updated" in first
        assert "already loaded" in marsad_for(settings, "init").stdout
        shown = marsad_for(settings, "kb", "show", "حركة فتح").stdout
        assert shown.startswith("Fatah  organization  marsad-org-fatah")
