"""The `neardup` stage: copies grouped within a language, on SQLite and PostgreSQL."""

from pathlib import Path

from sqlalchemy import select

from marsad.cluster.signatures import Banding, from_bytes, shingles, signature, to_bytes
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Document, MinhashBand
from marsad.workspace import Workspace

ARABIC = (
    "عقد الأمين العام للحركة اجتماعا مع قادة فصيلين آخرين في بغداد يوم الأحد، وبحث المجتمعون "
    "الأوضاع الأمنية في المنطقة وسبل تنسيق المواقف السياسية خلال المرحلة المقبلة، وأكد البيان "
    "الصادر عن الاجتماع أن اللقاء جرى في أجواء ودية وأن اجتماعات أخرى ستعقد في الأسابيع القادمة."
)
# A repost: emoji, a channel signature, a tracking link, a few letters written another way.
REPOST = (
    "🔴 عاجل | "
    + ARABIC.replace("الأمين", "الامين").replace("اجتماعا", "إجتماعاً")
    + " 📌 تابعونا على https://t.me/example_channel?utm=1 @example_channel"
)
OTHER = (
    "وزعت جمعية خيرية سلالا غذائية على مئات العائلات في أحياء البصرة الجنوبية، بحسب بيان صادر "
    "عنها، وقالت إن الحملة تستمر حتى نهاية الشهر وتشمل القرى المجاورة للمدينة أيضا."
)
FARSI = (
    "دبیرکل جنبش روز یکشنبه در بغداد با رهبران دو گروه دیگر دیدار کرد و دو طرف درباره "
    "اوضاع امنیتی منطقه و هماهنگی مواضع سیاسی در مرحله آینده گفت‌وگو کردند."
)


def page(title: str, text: str) -> str:
    head = f"<html><head><title>{title}</title></head>"
    return f"{head}<body><article><p>{text}</p></article></body></html>"


def ingest(workspace: Workspace, folder: Path, pages: dict[str, str]) -> dict[str, Document]:
    folder.mkdir(exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(page(name, text), encoding="utf-8")
    summary = Ingestor(workspace).ingest([str(folder / name) for name in pages])
    assert summary.pipeline.failures == []
    with workspace.database.session() as session:
        documents = session.scalars(select(Document)).all()
        return {Path(d.url).name: d for d in documents}


def test_a_repost_joins_the_original_and_others_stay_apart(
    workspace: Workspace, tmp_path: Path
) -> None:
    docs = ingest(
        workspace,
        tmp_path / "in",
        {"a.html": ARABIC, "b.html": OTHER, "c.html": REPOST, "d.html": FARSI},
    )
    assert docs["a.html"].cluster_id == docs["a.html"].id  # the first copy names the group
    assert docs["c.html"].cluster_id == docs["a.html"].id
    assert docs["b.html"].cluster_id is None
    # Another language is a translation, not a near-duplicate: stories group those.
    assert docs["d.html"].cluster_id is None


def test_groups_merge_when_a_later_copy_links_them(workspace: Workspace, tmp_path: Path) -> None:
    words = ARABIC.split()
    half = len(words) // 2
    # Two partial copies with too little in common, then the full text bridging them.
    first = " ".join(words[: half + 8])
    second = " ".join(words[half - 8 :])
    docs = ingest(workspace, tmp_path / "one", {"1.html": first, "2.html": second})
    assert docs["1.html"].cluster_id is None and docs["2.html"].cluster_id is None
    docs = ingest(
        workspace,
        tmp_path / "two",
        {"3.html": first + " " + " ".join(words[half + 8 : half + 12]), "4.html": ARABIC},
    )
    with workspace.database.session() as session:
        clusters = {Path(d.url).name: d.cluster_id for d in session.scalars(select(Document))}
    assert clusters["1.html"] == clusters["3.html"] == docs["1.html"].id


def test_rerun_is_idempotent(workspace: Workspace, tmp_path: Path) -> None:
    ingest(workspace, tmp_path / "in", {"a.html": ARABIC, "c.html": REPOST})
    with workspace.database.session() as session:
        before = sorted((d.id, d.cluster_id) for d in session.scalars(select(Document)))
        bands = len(session.scalars(select(MinhashBand)).all())
    workspace.runner().run(stage_names=["neardup"], force=True)
    with workspace.database.session() as session:
        assert sorted((d.id, d.cluster_id) for d in session.scalars(select(Document))) == before
        assert len(session.scalars(select(MinhashBand)).all()) == bands
    assert bands == 2 * Banding.for_threshold(0.7).bands


def test_signatures_survive_storage_and_ignore_noise() -> None:
    original, repost = signature(ARABIC, 3), signature(REPOST, 3)
    assert original is not None and repost is not None
    assert from_bytes(to_bytes(original)).jaccard(original) == 1.0
    assert original.jaccard(repost) > 0.8
    other = signature(OTHER, 3)
    assert other is not None and original.jaccard(other) < 0.1
    assert signature("🔴 📌 https://t.me/x", 3) is None
    assert shingles("واحد اثنان", 3) == {"واحد اثنان".encode()}
