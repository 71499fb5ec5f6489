"""Loading refuses doubtful input, naming the file and the problem."""

import pandas as pd
import pytest

from conftest import add_document
from tifa.errors import InputError
from tifa.inputs.load import load_corpus
from tifa.config import DATA_RAW, LEVELS
from tifa.inputs.load import sha256_of

SEED_DIR = DATA_RAW.parents[2] / "shared" / "seeds"


def test_raw_copies_are_byte_identical_to_recorded_checksums():
    meta = pd.read_csv(DATA_RAW / "metadata.csv", dtype=str)
    for row in meta.itertuples():
        assert sha256_of(DATA_RAW / "documents" / f"{row.doc_id}.txt") == row.sha256


@pytest.mark.skipif(not SEED_DIR.exists(), reason="../shared/seeds not beside the repository")
def test_raw_copies_match_the_shared_seeds_and_central_texts():
    # the seeds and the five central texts received in shared/; the proximate sources found later (CEWC
    # releases, the Sixth Plenum communiqué) carry their provenance in data/raw/sources_found.csv instead
    meta = pd.read_csv(DATA_RAW / "metadata.csv", dtype=str)
    received = meta[(meta["level"] != "central") | meta["source_file"].str.startswith("shared/central/")]
    for row in received.itertuples():
        shipped = SEED_DIR.parent / row.source_file.removeprefix("shared/") if row.level == "central" \
            else SEED_DIR / row.source_file
        assert sha256_of(shipped) == row.sha256, row.source_file
    assert (received["level"] == "central").sum() == 5
    found = pd.read_csv(DATA_RAW / "sources_found.csv", dtype=str)
    assert set(meta["doc_id"]) - set(received["doc_id"]) == set(found["doc_id"])


@pytest.mark.skipif(not SEED_DIR.exists(), reason="../shared not beside the repository")
def test_central_metadata_agrees_with_the_shipped_source_list():
    sources = pd.read_csv(SEED_DIR.parent / "central" / "sources.csv", dtype=str).set_index("file")
    meta = pd.read_csv(DATA_RAW / "metadata.csv", dtype=str).set_index("doc_id")
    for file, row in sources.iterrows():
        m = meta.loc[file.removesuffix(".txt")]
        assert (m["sha256"], m["date"], m["level"], m["genre"], m["title"]) == \
            (row["sha256"], row["date"], "central", "report", row["title"])


def test_documents_are_ordered_down_the_hierarchy():
    docs = load_corpus(DATA_RAW)
    ranks = [LEVELS.index(d.level) for d in docs]
    assert ranks == sorted(ranks)
    assert docs[0].doc_id == "central-2017-cpc19-report" and docs[-1].doc_id == "wuchang-2023-plan"
    local = [d.doc_id for d in docs if d.level != "central"]
    assert local[0] == "gansu-2022-speech"


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


def test_a_corpus_without_documents_stops_with_a_clear_error(raw_copy):
    for p in (raw_copy / "documents").glob("*.txt"):
        p.unlink()
    pd.read_csv(raw_copy / "metadata.csv", dtype=str).iloc[0:0].to_csv(raw_copy / "metadata.csv", index=False)
    with pytest.raises(InputError, match="no documents") as err:
        load_corpus(raw_copy)
    assert str(raw_copy / "documents") in str(err.value)


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


def test_every_document_has_a_date_consistent_with_its_year():
    for doc in load_corpus(DATA_RAW):
        assert doc.date[:4] == str(doc.year), doc.doc_id
    dates = {d.doc_id: d.date for d in load_corpus(DATA_RAW)}
    assert dates["wuchang-2023-plan"] == "2023-04-27" and dates["central-2022-cpc20-report"] == "2022-10-16"


def test_date_outside_the_year_stops(raw_copy):
    meta = pd.read_csv(raw_copy / "metadata.csv", dtype=str, keep_default_na=False)
    meta.loc[meta["doc_id"] == "baoji-2022-speech", "date"] = "2021-12"
    meta.to_csv(raw_copy / "metadata.csv", index=False)
    with pytest.raises(InputError, match=r"baoji-2022-speech.*does not fall in year 2022"):
        load_corpus(raw_copy)


def test_gbk_metadata_stops_with_a_clear_error(raw_copy):
    path = raw_copy / "metadata.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(InputError, match=r"metadata.csv.*not valid UTF-8"):
        load_corpus(raw_copy)


def test_lexicon_row_with_extra_fields_stops_naming_the_file(raw_copy):
    from tifa.inputs.load import inputs

    path = raw_copy / "lexicon" / "formulations.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    row = ["extra", "两个确立"] + ["x"] * (len(header) - 2) + ["ONE FIELD TOO MANY"]
    path.write_text(path.read_text(encoding="utf-8") + ",".join(row) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"formulations.csv.*not a well-formed CSV"):
        inputs(raw_copy)


def test_inputs_are_read_once_into_one_bundle():
    from tifa.inputs.load import inputs

    bundle = inputs(DATA_RAW)
    assert {d.doc_id for d in bundle.documents} == set(pd.read_csv(DATA_RAW / "metadata.csv")["doc_id"])
    assert len(bundle.lexicon) and len(bundle.codebook) and "priority_domains_handcoded" in bundle.annotations
    assert "两个确立" in bundle.tokenizer.tokens("深刻领悟两个确立的决定性意义")


def test_the_glossary_is_read_once_with_its_same_as_column(tmp_path):
    from tifa.inputs.load import read_glossary

    book = read_glossary(DATA_RAW / "glossary" / "units.csv")
    assert list(book.columns) == ["term", "english", "same_as"]
    assert book.set_index("term").at["人事科", "same_as"] == "组织人事科"
    bad = tmp_path / "units.csv"
    bad.write_text("term,english,same_as\n主体科,Market Entity Section,市场主体股\n", encoding="utf-8")
    with pytest.raises(InputError, match="same_as names a unit that is not a term: '市场主体股'"):
        read_glossary(bad)
