"""Loading refuses doubtful input, naming the file and the problem."""

import pandas as pd
import pytest

from conftest import add_document
from tifa.errors import InputError
from tifa.load import load_corpus
from tifa.config import DATA_RAW, LEVELS
from tifa.load import sha256_of

SEED_DIR = DATA_RAW.parents[2] / "shared" / "seeds"


def test_raw_copies_are_byte_identical_to_recorded_checksums():
    meta = pd.read_csv(DATA_RAW / "metadata.csv", dtype=str)
    for row in meta.itertuples():
        assert sha256_of(DATA_RAW / "documents" / f"{row.doc_id}.txt") == row.sha256


@pytest.mark.skipif(not SEED_DIR.exists(), reason="../shared/seeds not beside the repository")
def test_raw_copies_match_the_shared_seeds():
    meta = pd.read_csv(DATA_RAW / "metadata.csv", dtype=str)
    for row in meta.itertuples():
        assert sha256_of(SEED_DIR / row.source_file) == row.sha256, row.source_file


def test_documents_are_ordered_down_the_hierarchy():
    docs = load_corpus(DATA_RAW)
    ranks = [LEVELS.index(d.level) for d in docs]
    assert ranks == sorted(ranks)
    assert docs[0].doc_id == "gansu-2022-speech" and docs[-1].doc_id == "wuchang-2023-plan"


def test_non_utf8_file_stops_naming_file_and_offering_gb18030(raw_copy):
    path = add_document(raw_copy, "gbk-doc", "一、加强食品安全监管。".encode("gb18030"))
    with pytest.raises(InputError) as err:
        load_corpus(raw_copy)
    assert str(path) in str(err.value) and "--encoding gb18030" in str(err.value)


def test_explicit_encoding_decodes_gb18030(raw_copy):
    for p in (raw_copy / "documents").glob("*.txt"):
        p.unlink()
    meta = pd.read_csv(raw_copy / "metadata.csv", dtype=str).iloc[0:0]
    meta.to_csv(raw_copy / "metadata.csv", index=False)
    add_document(raw_copy, "gbk-doc", "一、加强食品安全监管。".encode("gb18030"))
    docs = load_corpus(raw_copy, encoding="gb18030")
    assert docs[0].text == "一、加强食品安全监管。"


def test_utf8_bom_is_accepted(raw_copy):
    add_document(raw_copy, "bom-doc", "\ufeff一、加强监管。".encode("utf-8"))
    doc = {d.doc_id: d for d in load_corpus(raw_copy)}["bom-doc"]
    assert doc.text == "一、加强监管。"


def test_empty_file_stops(raw_copy):
    path = add_document(raw_copy, "empty-doc", b" \n\n ")
    with pytest.raises(InputError, match="empty file") as err:
        load_corpus(raw_copy)
    assert str(path) in str(err.value)


def test_document_without_metadata_row_stops(raw_copy):
    (raw_copy / "documents" / "orphan.txt").write_text("一、加强监管。", encoding="utf-8")
    with pytest.raises(InputError, match="has no row in metadata.csv") as err:
        load_corpus(raw_copy)
    assert "orphan.txt" in str(err.value)


def test_metadata_row_without_file_stops(raw_copy):
    (raw_copy / "documents" / "weinan-2023-plan.txt").unlink()
    with pytest.raises(InputError, match="weinan-2023-plan.*has no file"):
        load_corpus(raw_copy)


def test_duplicate_doc_id_stops(raw_copy):
    meta = pd.read_csv(raw_copy / "metadata.csv", dtype=str)
    pd.concat([meta, meta.iloc[[0]]]).to_csv(raw_copy / "metadata.csv", index=False)
    with pytest.raises(InputError, match=f"duplicate doc_id.*{meta.doc_id[0]}"):
        load_corpus(raw_copy)


def test_unknown_level_stops(raw_copy):
    meta = pd.read_csv(raw_copy / "metadata.csv", dtype=str)
    meta.loc[0, "level"] = "prefecture"
    meta.to_csv(raw_copy / "metadata.csv", index=False)
    with pytest.raises(InputError, match="unknown level 'prefecture'"):
        load_corpus(raw_copy)


def test_changed_checksum_stops_naming_file(raw_copy):
    path = raw_copy / "documents" / "baoji-2022-speech.txt"
    path.write_bytes(path.read_bytes() + "补充。".encode())
    with pytest.raises(InputError, match="checksum changed") as err:
        load_corpus(raw_copy)
    assert "baoji-2022-speech.txt" in str(err.value)


def test_missing_checksum_warns(raw_copy):
    add_document(raw_copy, "nosha-doc", "一、加强监管。".encode(), sha=False)
    with pytest.warns(UserWarning, match="no sha256"):
        load_corpus(raw_copy)
