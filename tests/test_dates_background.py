"""Dates as intervals (data/raw/document_dates.csv) and the background collection (data/raw/background/)."""

import hashlib
import lzma

import pandas as pd
import pytest

from tifa.config import DATA_RAW
from tifa.errors import InputError
from tifa.inputs.load import background_interval, load_corpus, read_background


def write_dates(raw, rows):
    pd.DataFrame(rows, columns=["doc_id", "date_low", "date_high", "evidence"]).to_csv(raw / "document_dates.csv", index=False)


def test_every_document_gets_an_interval_with_evidence():
    docs = {d.doc_id: d for d in load_corpus(DATA_RAW)}
    for d in docs.values():
        assert d.date_low <= d.date_high and d.meta["date_interval_evidence"]
    # 以优异成绩迎接党的二十大胜利召开: before the 20th Congress opened
    assert docs["baoji-2022-speech"].date_high < docs["central-2022-cpc20-report"].date_low
    assert (docs["wuchang-2023-plan"].date_low, docs["wuchang-2023-plan"].date_high) == ("2023-04-27", "2023-04-27")


def test_without_the_dates_file_intervals_come_from_the_metadata_date(raw_copy):
    (raw_copy / "document_dates.csv").unlink()
    docs = {d.doc_id: d for d in load_corpus(raw_copy)}
    assert (docs["baoji-2022-speech"].date_low, docs["baoji-2022-speech"].date_high) == ("2022-01-01", "2022-12-31")
    assert (docs["gansu-2022-speech"].date_low, docs["gansu-2022-speech"].date_high) == ("2022-01-01", "2022-01-31")
    assert "metadata date 2022" in docs["baoji-2022-speech"].meta["date_interval_evidence"]


def test_a_document_without_a_row_gets_its_metadata_interval_with_a_warning(raw_copy):
    table = pd.read_csv(raw_copy / "document_dates.csv", dtype=str)
    table[table["doc_id"] != "weinan-2023-plan"].to_csv(raw_copy / "document_dates.csv", index=False)
    with pytest.warns(UserWarning, match="weinan-2023-plan"):
        docs = {d.doc_id: d for d in load_corpus(raw_copy)}
    assert (docs["weinan-2023-plan"].date_low, docs["weinan-2023-plan"].date_high) == ("2023-01-01", "2023-12-31")


@pytest.mark.parametrize("row, problem", [
    (["weinan-2023-plan", "2023-05-01", "2023-04-01", "x"], "is after date_high"),
    (["weinan-2023-plan", "2023-02-30", "2023-04-01", "x"], "not a calendar date"),
    (["weinan-2023-plan", "2023", "2023-04-01", "x"], "str_matches"),
    (["weinan-2023-plan", "2022-01-01", "2022-03-01", "x"], "outside the metadata date"),
])
def test_a_bad_interval_is_refused_naming_the_file(raw_copy, row, problem):
    write_dates(raw_copy, [row])
    with pytest.raises(InputError, match=problem) as caught:
        load_corpus(raw_copy)
    assert caught.value.where.startswith(str(raw_copy / "document_dates.csv"))


def test_a_row_of_a_document_outside_the_corpus_is_ignored_with_a_warning(raw_copy):
    table = pd.read_csv(raw_copy / "document_dates.csv", dtype=str)
    table.loc[len(table)] = ["wuchang-2032-plan", "2032-01-01", "2032-12-31", "a misspelt id"]
    table.to_csv(raw_copy / "document_dates.csv", index=False)
    with pytest.warns(UserWarning, match="wuchang-2032-plan"):
        docs = load_corpus(raw_copy)
    assert "wuchang-2032-plan" not in {d.doc_id for d in docs}


def test_a_dates_file_with_a_missing_column_is_refused(raw_copy):
    pd.DataFrame({"doc_id": ["weinan-2023-plan"], "date_low": ["2023-01-01"]}).to_csv(raw_copy / "document_dates.csv", index=False)
    with pytest.raises(InputError, match="missing column"):
        load_corpus(raw_copy)


def test_the_background_is_read_whole_and_dated():
    texts = read_background(DATA_RAW / "background")
    assert len(texts) == 88 and len({t.text_id for t in texts}) == 88
    by_title = {t.title: t for t in texts}
    assert (by_title["2025年中华人民共和国国务院政府工作报告"].date_low, by_title["2025年中华人民共和国国务院政府工作报告"].date_high) \
        == ("2025-01-01", "2025-12-31")
    assert background_interval(None, "高举…\n（2022年10月16日）\n习近平") == ("2022-10-16", "2022-10-16")
    assert background_interval(None, "没有日期") == ("", "")


def test_a_changed_background_file_is_refused(raw_copy):
    path = raw_copy / "background" / "cpc_congress_reports.jsonl.xz"
    data = lzma.decompress(path.read_bytes()).replace("同志们".encode(), "朋友们".encode(), 1)
    path.write_bytes(lzma.compress(data))
    with pytest.raises(InputError, match="checksum changed") as caught:
        read_background(raw_copy / "background")
    assert caught.value.where == str(path)


def test_a_background_file_must_be_listed_and_well_formed(raw_copy):
    folder = raw_copy / "background"
    bad = lzma.compress(b'{"title": "x"}\n')
    (folder / "extra.jsonl.xz").write_bytes(bad)
    with pytest.raises(InputError, match="not listed"):
        read_background(folder)
    sources = pd.read_csv(folder / "sources.csv", dtype=str)
    sources.loc[len(sources)] = {"file": "extra.jsonl.xz", "sha256_uncompressed": hashlib.sha256(b'{"title": "x"}\n').hexdigest()}
    sources.to_csv(folder / "sources.csv", index=False)
    with pytest.raises(InputError, match="line 1: not a JSON object with title and content"):
        read_background(folder)


def test_no_background_folder_means_no_background(raw_copy):
    assert read_background(raw_copy / "no-such-folder") == []


def test_background_copies_of_corpus_texts_are_not_counted_twice():
    from tifa.stages.central import copies_of
    from tifa.text.normalise import normalise

    background = {t.text_id: normalise(t.text) for t in read_background(DATA_RAW / "background")}
    central = {p.stem: normalise(p.read_text(encoding="utf-8")) for p in (DATA_RAW / "documents").glob("central-*.txt")}
    copies = copies_of(background, central)
    titles = {t.text_id: t.title for t in read_background(DATA_RAW / "background")}
    assert sorted(titles[c][:4] for c in copies) == ["2021", "2022", "2023", "决胜全面", "高举中国"]
    assert len(copies) == 5  # the five central texts of the corpus, and nothing else


def test_stock_wording_is_held_by_many_texts_and_distinctive_wording_by_one():
    from tifa.stages.central import holder_index, holders
    from tifa.text.normalise import normalise

    background = read_background(DATA_RAW / "background")
    titles = {t.text_id: t.title for t in background}
    central = {p.stem: normalise(p.read_text(encoding="utf-8")) for p in (DATA_RAW / "documents").glob("central-*.txt")}
    index, _ = holder_index(central, {t.text_id: normalise(t.text) for t in background})
    found = [titles.get(t, t) for t in holders("不断提高政治判断力、政治领悟力、政治执行力", index)]
    assert found == ["central-2021-gwr", "central-2021-cewc", "central-2022-cpc20-report", "2024年中华人民共和国国务院政府工作报告"]
    assert holders("推动高质量发展，更好统筹发展和安全", index) == ["central-2023-gwr"]  # wuchang-2023-plan's source
