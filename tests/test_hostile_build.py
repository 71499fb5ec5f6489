"""Hostile builds (issue 25): `--force` deletes only what a build wrote, --out never touches the raw folder
or the current folder, interrupted builds' staging folders are cleaned up, a wrong Dask address fails
fast, and a corpus whose hand-coded sentences no longer match still builds, listing them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from tifa.config import DATA_RAW
from tifa.errors import InputError
from tifa.inputs.load import sha256_of
from tifa.outputs.folder import MANIFEST
from tifa.pipeline import build

KEEP = ("weinan-2023-plan", "wuchang-2023-plan")


def small_raw(target: Path, doc_ids=KEEP) -> Path:
    """Two seed documents with the project's lexicon, codebook and glossary (no hand coding): builds in seconds."""
    (target / "documents").mkdir(parents=True)
    for folder in ("lexicon", "codebook", "glossary"):
        shutil.copytree(DATA_RAW / folder, target / folder)
    meta = pd.read_csv(DATA_RAW / "metadata.csv", dtype=str, keep_default_na=False)
    meta[meta["doc_id"].isin(doc_ids)].to_csv(target / "metadata.csv", index=False)
    for d in doc_ids:
        shutil.copy(DATA_RAW / "documents" / f"{d}.txt", target / "documents")
    return target


def quiet_build(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build(*args, progress=False, **kwargs)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_force_keeps_the_users_files_and_removes_only_what_a_build_wrote(tmp_path):
    raw = small_raw(tmp_path / "raw")
    out = tmp_path / "mywork"
    (out / "normalized").mkdir(parents=True)
    (out / "survey_results.csv").write_text("respondent,answer\n1,yes\n", encoding="utf-8")
    (out / "normalized" / "my_draft.txt").write_text("我的草稿", encoding="utf-8")
    before = snapshot(out)
    with pytest.raises(InputError, match="not a previous build.s .e.g. normalized/my_draft.txt.*--force"):
        quiet_build(raw, out)
    assert snapshot(out) == before
    quiet_build(raw, out, force=True)
    manifest = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    assert "documents.csv" in manifest and "normalized/wuchang-2023-plan.txt" in manifest
    assert "survey_results.csv" not in manifest and "normalized/my_draft.txt" not in manifest
    assert {k: snapshot(out)[k] for k in before} == before  # the user's files, byte for byte

    # a rebuild without one document removes that document's text (listed), and nothing of the user's
    small_raw(tmp_path / "raw2", KEEP[:1])
    quiet_build(tmp_path / "raw2", out, force=True)
    assert not (out / "normalized" / "wuchang-2023-plan.txt").exists()
    assert (out / "normalized" / "weinan-2023-plan.txt").exists()
    assert {k: snapshot(out)[k] for k in before} == before


def test_force_never_overwrites_a_table_named_file_that_no_build_wrote(tmp_path):
    raw = small_raw(tmp_path / "raw")
    out = tmp_path / "mywork"
    out.mkdir()
    (out / "documents.csv").write_text("my,own,documents\n", encoding="utf-8")
    with pytest.raises(InputError, match="would overwrite this file, which no build wrote") as caught:
        quiet_build(raw, out, force=True)
    assert caught.value.where.endswith("documents.csv")
    assert (out / "documents.csv").read_text(encoding="utf-8") == "my,own,documents\n"


@pytest.mark.parametrize("where", ["raw", "raw/out", "."])
def test_an_out_that_is_holds_or_lies_in_the_raw_folder_is_refused(tmp_path, where):
    raw = small_raw(tmp_path / "raw")
    before = snapshot(raw)
    out = tmp_path / where
    with pytest.raises(InputError, match="raw folder"):
        quiet_build(raw, out, force=True)
    assert snapshot(raw) == before


def test_build_out_dot_is_one_line_and_touches_nothing(tmp_path):
    small_raw(tmp_path / "raw")
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("mine", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "tifa", "build", "--raw", str(tmp_path / "raw"), "--out", ".",
                          "--force", "--quiet"], capture_output=True, text=True, cwd=work, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"error: {work}: --out is the current folder") and len(run.stderr.splitlines()) <= 2
    assert sorted(p.name for p in work.iterdir()) == ["notes.txt"]


def test_staging_folders_of_dead_builds_are_removed_live_ones_kept(tmp_path):
    raw = small_raw(tmp_path / "raw")
    dead = tmp_path / ".out.building-999999999-k2j3"
    legacy = tmp_path / ".out.building-ab12cd"  # named before staging folders carried their build's pid
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        alive = tmp_path / f".out.building-{sleeper.pid}-x9"
        other = tmp_path / ".other.building-999999999-q"  # another output's: not ours to judge
        for folder in (dead, legacy, alive, other):
            (folder / "normalized").mkdir(parents=True)
        quiet_build(raw, tmp_path / "out")
        assert not dead.exists() and not legacy.exists()
        assert alive.exists() and other.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_an_unreachable_dask_scheduler_fails_fast_in_one_line(tmp_path):
    raw = small_raw(tmp_path / "raw")
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "tifa", "build", "--raw", str(raw), "--out", str(tmp_path / "out"),
                          "--dask", "tcp://127.0.0.1:9", "--quiet"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith("error: --dask tcp://127.0.0.1:9: cannot reach the Dask scheduler within 5 s")
    assert time.perf_counter() - started < 30  # was 30 s of retries, then a traceback
    assert not (tmp_path / "out").exists()


def test_a_second_build_replaces_a_manifest_build_without_force(tmp_path):
    raw = small_raw(tmp_path / "raw")
    quiet_build(raw, tmp_path / "out")
    first = snapshot(tmp_path / "out")
    quiet_build(raw, tmp_path / "out")
    assert snapshot(tmp_path / "out") == first  # deterministic, manifest included
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw"]


@pytest.mark.slow
def test_seeds_without_line_breaks_build_with_warnings_and_list_unmatched_coding(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DATA_RAW, raw)
    meta = pd.read_csv(raw / "metadata.csv", dtype=str, keep_default_na=False)
    for i, doc_id in enumerate(meta["doc_id"]):
        path = raw / "documents" / f"{doc_id}.txt"
        path.write_bytes(path.read_bytes().replace(b"\r", b"").replace(b"\n", b""))
        meta.loc[i, "sha256"] = sha256_of(path)
    meta.to_csv(raw / "metadata.csv", index=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tables = build(raw, tmp_path / "out", progress=False)
    messages = [str(w.message) for w in caught]
    assert sum("without line breaks" in m for m in messages) == len(meta)
    assert any("hand-coded sentences match no sentence of the build" in m for m in messages)
    unmatched = tables["validation_unmatched"]
    assert len(unmatched) and set(unmatched["reason"]) == {"no sentence of the document has this text"}
    assert pd.read_csv(tmp_path / "out" / "validation_unmatched.csv").shape == unmatched.shape
    # every coded sentence is scored or listed as unmatched, none lost silently
    coded = pd.read_csv(DATA_RAW / "annotations" / "attributions_handcoded.csv", dtype=str, keep_default_na=False)
    scored = tables["attribution_validation"].query("coding == 'local'")
    assert len(scored) + (unmatched["coding"] == "local").sum() == len(coded[["doc_id", "text"]].drop_duplicates())
