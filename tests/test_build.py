"""The build: committed outputs equal a rebuild, figures are byte-stable, schemas guard every table."""

import filecmp
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from tifa.config import DATA_PROCESSED, DOCS, FIGURES, PROJECT_ROOT
from tifa.errors import InputError
from tifa.outputs.figures import CATALOGUE, make_all
from tifa.schemas import TABLES, dictionary_markdown, validate


@pytest.mark.slow
def test_committed_processed_files_equal_a_rebuild(built):
    out = built["_out"]
    rebuilt = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(DATA_PROCESSED) for p in DATA_PROCESSED.rglob("*") if p.is_file())
    assert rebuilt == committed
    differing = [str(p) for p in rebuilt if not filecmp.cmp(out / p, DATA_PROCESSED / p, shallow=False)]
    assert not differing, f"rerun `make build` and commit: {differing}"


def committed(path) -> bytes:
    """The file as the last commit holds it (`git show HEAD:<path>`), not as a build may have just rewritten it."""
    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout: no committed figures to compare with")
    rel = path.relative_to(PROJECT_ROOT).as_posix()
    shown = subprocess.run(["git", "-C", str(PROJECT_ROOT), "show", f"HEAD:{rel}"], capture_output=True, check=False)
    assert shown.returncode == 0, f"{rel} is not committed: {shown.stderr.decode()[:200]}"
    return shown.stdout


@pytest.mark.slow
def test_figures_are_byte_identical_to_the_committed_ones(built, tmp_path):
    make_all(built["_out"], tmp_path)
    for spec, _ in CATALOGUE:
        for ext in ("pdf", "svg", "png", "csv"):
            name = f"{spec.name}.{ext}"
            assert (tmp_path / name).read_bytes() == committed(FIGURES / name), f"{name} differs: rerun `make report` and commit"
    assert (tmp_path / "README.md").read_bytes() == committed(FIGURES / "README.md")


def test_pdf_figures_embed_the_project_font():
    from tifa.outputs.plots import FONT_POSTSCRIPT

    pdf = committed(FIGURES / "attention_by_domain.pdf")
    assert FONT_POSTSCRIPT.encode() in pdf and b"/FontFile2" in pdf   # FontFile2: TrueType outlines
    assert b"NotoSansCJKsc" not in pdf and b"CreationDate" not in pdf


def test_png_is_300_dpi():
    data = (FIGURES / "attention_diversity.png").read_bytes()
    pos = data.index(b"pHYs")
    ppm = int.from_bytes(data[pos + 4:pos + 8], "big")
    assert round(ppm * 0.0254) == 300


def test_every_processed_table_has_a_schema_and_the_dictionary_is_current():
    names = {p.stem for p in DATA_PROCESSED.glob("*.csv")}
    registered = {t.name for t in TABLES.values() if t.where == "processed"}
    assert names == registered
    assert (DOCS / "data_dictionary.md").read_text(encoding="utf-8") == dictionary_markdown()


def test_schema_violation_names_table_column_and_row(built):
    bad = built["priorities"].copy()
    bad.loc[3, "domain"] = None
    with pytest.raises(InputError, match=r"(?s)table priorities.*'domain'.*row 3"):
        validate("priorities", bad)
    worse = built["frame_hits"].copy()
    worse.loc[0, "match"] = "fuzzy"
    with pytest.raises(InputError, match=r"(?s)'match'.*'fuzzy'"):
        validate("frame_hits", worse)


def test_cli_reports_bad_input_with_exit_code_2(raw_copy, tmp_path):
    (raw_copy / "documents" / "orphan.txt").write_text("一、加强监管。", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "tifa", "build", "--raw", str(raw_copy), "--out", str(tmp_path / "o"), "--quiet"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "orphan.txt" in run.stderr and "no row in metadata.csv" in run.stderr


@pytest.mark.slow
def test_adding_a_document_needs_only_a_file_and_a_row(raw_copy, tmp_path):
    from conftest import add_document
    from tifa.pipeline import build

    add_document(raw_copy, "new-2024-plan", "二〇二四年工作要点\n一、主要任务\n1.坚定拥护“两个确立”。完成食品抽检100批次。\n".encode())
    tables = build(raw_copy, tmp_path / "out", progress=False)
    assert "new-2024-plan" in set(tables["documents"]["doc_id"])
    assert tables["priorities"].query("doc_id == 'new-2024-plan'")["title"].tolist() == ["坚定拥护两个确立"] or \
        tables["priorities"].query("doc_id == 'new-2024-plan'")["title"].tolist() == ["坚定拥护“两个确立”"]
    hits = tables["frame_hits"].query("doc_id == 'new-2024-plan'")
    assert "two_establishments" in set(hits["formulation_id"])


def test_malformed_hand_coding_stops_naming_the_file(raw_copy, tmp_path):
    from tifa.pipeline import build

    path = raw_copy / "annotations" / "achievements_handcoded.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[0, "claim_seq"] = "first"
    table.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"(?s)achievements_handcoded.csv.*'claim_seq'"):
        build(raw_copy, tmp_path / "out", progress=False)


def test_tables_are_written_in_their_schema_types(built, tmp_path):
    """A column is written the same whatever rows were joined first: targets whose first rows all lack a
    number (an untyped column once joined) still write 100, not 100.0, as the float schema column does."""
    from tifa.pipeline import join_tables, write_tables

    targets = built["targets"]
    numbered = targets[targets["value_num"].notna()].head(2)
    masked = numbered.assign(value_num=None, value_base=None)
    parts = [{"targets": masked.to_dict("records")}, {"targets": numbered.to_dict("records")}]
    joined = join_tables([join_tables([part]) for part in parts])["targets"]
    assert joined["value_num"].dtype == object  # what a join of such parts gives
    write_tables({"targets": joined}, [], tmp_path / "out")
    written = (tmp_path / "out" / "targets.csv").read_text(encoding="utf-8").splitlines()
    expected = [f"{v:.10g}" for v in numbered["value_num"]]
    assert [line.split(",")[6] for line in written[3:]] == expected
