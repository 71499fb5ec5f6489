"""Hostile raw inputs (issue 25): each is refused at load time naming the file and the problem, or built
with a warning that says what was lost. Every case here failed (a traceback, a misleading message or
silence) before the fix."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from conftest import add_document
from tifa.config import DATA_RAW
from tifa.errors import InputError
from tifa.inputs.ids import MAX_LENGTH, doc_id_problem
from tifa.inputs.load import METADATA_COLUMNS, Document, inputs, load_corpus
from tifa.pipeline import map_documents, process_document
from tifa.schemas import TABLES


def edit_csv(path: Path, change) -> None:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    changed = change(table)
    (changed if isinstance(changed, pd.DataFrame) else table).to_csv(path, index=False)


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tifa", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


# ------------------------------------------------------------------ doc_ids
@pytest.mark.parametrize("doc_id", ["weinan-2023-plan", "a", "hebei-3f2a9c01b7de", "x.onerror_img-1", "a" * MAX_LENGTH])
def test_safe_ids_pass(doc_id):
    assert doc_id_problem(doc_id) is None


@pytest.mark.parametrize("doc_id", ["x'><img src=x onerror=alert(1)>", "a/b", "../../../secret", "..", ".hidden", "a..b",
                                    "a\\b", "Weinan", "渭南-2023", "a" * (MAX_LENGTH + 1), "-rf", "a b", "end.", ""])
def test_unsafe_ids_are_refused(doc_id):
    assert doc_id_problem(doc_id)


def test_the_metadata_schema_and_the_id_rule_agree():
    assert tuple(TABLES["metadata"].schema.columns) == METADATA_COLUMNS
    assert "lower-case ASCII" in TABLES["metadata"].schema.columns["doc_id"].description
    for doc_id in pd.read_csv(DATA_RAW / "metadata.csv", dtype=str)["doc_id"]:
        assert doc_id_problem(doc_id) is None


def test_a_file_named_like_markup_is_refused_naming_it(raw_copy):
    name = "x'><img src=x onerror=document.body.dataset.pwned=5>"
    (raw_copy / "documents" / f"{name}.txt").write_text("一、加强监管。", encoding="utf-8")
    with pytest.raises(InputError, match="not allowed") as caught:
        load_corpus(raw_copy)
    assert caught.value.where.endswith(f"{name}.txt")
    add_document(raw_copy, name, "一、加强监管。".encode())  # with its metadata row: the row is refused
    with pytest.raises(InputError, match=r"metadata.csv \(row \d+\): doc_id .* not allowed"):
        load_corpus(raw_copy)


@pytest.mark.parametrize("doc_id, problem", [("a/b", "not allowed"), ("../../../secret", "not allowed"),
                                             ("x" * 251, "has 251 characters"), ("渭南计划", "not allowed")])
def test_a_path_or_overlong_doc_id_in_metadata_is_refused(raw_copy, doc_id, problem):
    edit_csv(raw_copy / "metadata.csv", lambda t: t.__setitem__("doc_id", t["doc_id"].where(t.index != 0, doc_id)))
    with pytest.raises(InputError, match=problem) as caught:
        load_corpus(raw_copy)
    assert caught.value.where.startswith(str(raw_copy / "metadata.csv"))


# ------------------------------------------------ schemas, checked at load time
def test_an_extra_metadata_column_is_named_at_load_with_the_file(raw_copy):
    edit_csv(raw_copy / "metadata.csv", lambda t: t.insert(len(t.columns), "notes", "mine"))
    with pytest.raises(InputError, match="unknown column.*'notes'") as caught:
        inputs(raw_copy)
    assert caught.value.where == str(raw_copy / "metadata.csv")


def test_reordered_metadata_columns_still_load(raw_copy):
    edit_csv(raw_copy / "metadata.csv", lambda t: t.insert(0, "title", t.pop("title")))
    assert len(load_corpus(raw_copy)) == len(load_corpus(DATA_RAW))


@pytest.mark.parametrize("relative, problem", [("lexicon/formulations.csv", "no formulations"),
                                               ("codebook/domains.csv", "no domains")])
def test_an_emptied_label_table_is_named_at_load(raw_copy, relative, problem):
    path = raw_copy / relative
    edit_csv(path, lambda t: t.iloc[0:0])
    with pytest.raises(InputError, match=problem) as caught:
        inputs(raw_copy)
    assert caught.value.where == str(path)


def test_a_missing_lexicon_is_named_not_loaded_as_empty(raw_copy):
    (raw_copy / "lexicon" / "formulations.csv").unlink()
    with pytest.raises(InputError, match="formulation lexicon not found"):
        inputs(raw_copy)


def test_an_extra_lexicon_column_is_named(raw_copy):
    path = raw_copy / "lexicon" / "formulations.csv"
    edit_csv(path, lambda t: t.insert(3, "colour", "red"))
    with pytest.raises(InputError, match="unknown column.*'colour'"):
        inputs(raw_copy)


@pytest.mark.parametrize("column, pattern, problem", [
    ("canonical", "的", "shorter than 2 characters"), ("variants", "(?=的)", "matches the empty string"),
    ("variants", "的", "can match 1 character"), ("abbreviations", "监管|的", "can match 1 character"),
    ("variants", "的?", "matches the empty string")])
def test_lexicon_entries_that_match_too_little_are_refused(raw_copy, column, pattern, problem):
    path = raw_copy / "lexicon" / "formulations.csv"
    edit_csv(path, lambda t: t.__setitem__(column, t[column].where(t.index != 0, pattern)))
    with pytest.raises(InputError, match=f"row 2 .*{problem}") as caught:
        inputs(raw_copy)
    assert caught.value.where == str(path)


def test_a_glossary_with_an_unknown_column_is_named(raw_copy):
    path = raw_copy / "glossary" / "units.csv"
    edit_csv(path, lambda t: t.insert(1, "pinyin", ""))
    with pytest.raises(InputError, match="unknown column.*'pinyin'"):
        inputs(raw_copy)


# ------------------------------------------------------------ metadata values
def test_an_upper_case_sha256_is_accepted(raw_copy):
    edit_csv(raw_copy / "metadata.csv", lambda t: t.__setitem__("sha256", t["sha256"].str.upper()))
    assert len(load_corpus(raw_copy)) == len(load_corpus(DATA_RAW))


def test_a_malformed_sha256_is_refused(raw_copy):
    edit_csv(raw_copy / "metadata.csv", lambda t: t.__setitem__("sha256", t["sha256"].where(t.index != 0, "abc")))
    with pytest.raises(InputError, match="64 hexadecimal digits"):
        load_corpus(raw_copy)


def test_an_impossible_date_is_refused(raw_copy):
    edit_csv(raw_copy / "metadata.csv", lambda t: (t.__setitem__("date", t["date"].where(t.index != 0, "2017-02-30")),
                                                   t.__setitem__("year", t["year"].where(t.index != 0, "2017"))))
    with pytest.raises(InputError, match="'2017-02-30' does not exist"):
        load_corpus(raw_copy)


# ---------------------------------------------------------------- file content
def test_nul_bytes_are_refused(raw_copy):
    add_document(raw_copy, "nul", "一、加强监管。\x00\x00二、优化服务。".encode())
    with pytest.raises(InputError, match="NUL characters") as caught:
        load_corpus(raw_copy)
    assert caught.value.where.endswith("nul.txt")


def test_a_utf16_file_is_refused_not_read_with_nuls(raw_copy):
    add_document(raw_copy, "utf16", "一、加强监管。".encode("utf-16-le"))
    with pytest.raises(InputError, match="utf16.txt"):
        load_corpus(raw_copy)


def test_a_file_of_zero_width_characters_is_refused(raw_copy):
    add_document(raw_copy, "zw", "\u200b\u200b\n\u200b\ufeff\n".encode("utf-8"))
    with pytest.raises(InputError, match="empty file") as caught:
        load_corpus(raw_copy)
    assert caught.value.where.endswith("zw.txt")


def test_a_page_of_only_a_licence_footer_is_refused_naming_it(tmp_path):
    path = tmp_path / "footer.txt"
    path.write_text("本作品来自维基文库\n本作品是中华人民共和国的法律法规，根据著作权法不受保护。\nfalse\n", encoding="utf-8")
    doc = Document("footer", path, path.read_text(encoding="utf-8"), {})
    with pytest.raises(InputError, match="empty document after cleaning.*licence footer") as caught:
        process_document(doc)
    assert caught.value.where == str(path)


def test_an_input_error_survives_a_worker_process():
    import pickle

    again = pickle.loads(pickle.dumps(InputError("a.txt", "bad")))
    assert (again.where, again.problem, str(again)) == ("a.txt", "bad", "a.txt: bad")


def to_traditional(text: str) -> str:
    pairs = dict(zip("国们这个为来说时经发对与从进过还应关题间开学点当实体现机长将区义质产务动会后党议历据强总贯彻", "國們這個為來說時經發對與從進過還應關題間開學點當實體現機長將區義質產務動會後黨議歷據強總貫徹"))
    return "".join(pairs.get(c, c) for c in text)


def test_traditional_script_is_built_with_a_warning_that_says_what_is_lost(tmp_path):
    seed = (DATA_RAW / "documents" / "weinan-2023-plan.txt").read_text(encoding="utf-8")
    path = tmp_path / "weinan-trad.txt"
    path.write_text(to_traditional(seed), encoding="utf-8")
    with pytest.warns(UserWarning, match="weinan-trad.txt: traditional script detected.*not found"):
        map_documents([Document("weinan-trad", path, path.read_text(encoding="utf-8"), {})], progress=False)


def test_the_seeds_raise_no_form_warning_and_a_transcript_without_line_breaks_does():
    from tifa.text.checks import form_warnings
    from tifa.text.normalise import normalise

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = load_corpus(DATA_RAW)
    warned = {d.doc_id: form_warnings(d.path, normalise(d.text)) for d in docs}
    # the 2021 CEWC release is archived as one line (a broadcast transcript): it is warned about, rightly
    assert {d for d, w in warned.items() if w} == {"central-2021-cewc"}
    assert "without line breaks" in warned["central-2021-cewc"][0]


def test_a_long_page_without_line_breaks_warns(tmp_path):
    seed = (DATA_RAW / "documents" / "gansu-2022-speech.txt").read_text(encoding="utf-8")
    path = tmp_path / "oneline.txt"
    path.write_text(seed.replace("\n", ""), encoding="utf-8")
    with pytest.warns(UserWarning, match="oneline.txt: one line of .* characters without line breaks.*priorities"):
        map_documents([Document("oneline", path, path.read_text(encoding="utf-8"), {})], progress=False)


# ------------------------------------------------------------------ options
@pytest.mark.parametrize("verb", ["build", "import"])
def test_an_unknown_encoding_is_one_line_naming_it(verb, tmp_path):
    args = (["build", "--raw", str(DATA_RAW), "--out", str(tmp_path / "o")] if verb == "build" else
            ["import", str(Path(__file__).parent / "fixtures" / "import" / "hebei_scraped.csv"), "--raw",
             str(tmp_path / "raw"), "--text", "内容", "--level", "provincial", "--year", "2023"])
    run = cli(*args, "--encoding", "gbk2312")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "unknown encoding 'gbk2312'" in run.stderr and run.stderr.startswith("error: --encoding")
    assert not (tmp_path / "o").exists() and not (tmp_path / "raw").exists()
