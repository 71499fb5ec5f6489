"""`python -m tifa import`: a scraped collection (CSV, JSONL, XLSX) into documents/ + metadata.csv."""

import hashlib
import warnings
from pathlib import Path

import pandas as pd
import pytest

from tifa.cli import main
from tifa.inputs.importer import parse_date, slug

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "hebei_scraped.csv"
MAPPING = ["--text", "内容", "--title", "标题", "--date", "时间", "--url", "链接", "--level", "provincial",
           "--region", "河北", "--province", "河北省 Hebei", "--prefix", "hebei"]


def run(*args) -> int:
    return main(["import", *map(str, args)])


def test_a_scraped_csv_becomes_documents_and_metadata_rows(tmp_path):
    raw = tmp_path / "raw"
    assert run(FIXTURE, "--raw", raw, *MAPPING) == 0
    meta = pd.read_csv(raw / "metadata.csv", dtype=str, keep_default_na=False)
    assert meta["date"].tolist() == ["2024-03-15", "2024-01-30", "2023-11-08"]
    assert meta["year"].tolist() == ["2024", "2024", "2023"]
    assert meta["source_file"].tolist() == [f"hebei_scraped.csv row {n}; https://scjg.hebei.gov.cn/info/1000{n - 1}"
                                            for n in (2, 3, 4)]
    assert (meta["level"] == "provincial").all() and (meta["region"] == "河北").all()
    assert meta["title"][1] == "河北省市场监督管理局2023年法治政府建设情况报告"
    assert meta["date_evidence"][1] == "import: column 时间 = 2024年1月30日"
    source = pd.read_csv(FIXTURE, dtype=str)
    for row, body in zip(meta.itertuples(), source["内容"]):
        path = raw / "documents" / f"{row.doc_id}.txt"
        assert path.read_text(encoding="utf-8") == body  # the body, byte for byte
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256
        assert row.doc_id.startswith("hebei-")
    assert (raw / "codebook" / "domains.csv").exists()  # a new collection can be built at once


def test_the_imported_collection_loads(tmp_path):
    from tifa.inputs.load import load_corpus

    raw = tmp_path / "raw"
    run(FIXTURE, "--raw", raw, *MAPPING)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        docs = load_corpus(raw)
    assert len(docs) == 3 and {d.level for d in docs} == {"provincial"}


def test_doc_ids_are_stable_and_formats_agree(tmp_path):
    table = pd.read_csv(FIXTURE, dtype=str)
    table.to_json(tmp_path / "hebei_scraped.jsonl", orient="records", lines=True, force_ascii=False)
    table.to_excel(tmp_path / "hebei_scraped.xlsx", index=False)
    metas = []
    for k, path in enumerate([FIXTURE, tmp_path / "hebei_scraped.jsonl", tmp_path / "hebei_scraped.xlsx"]):
        raw = tmp_path / f"raw{k}"
        assert run(path, "--raw", raw, *MAPPING) == 0
        metas.append(pd.read_csv(raw / "metadata.csv", dtype=str, keep_default_na=False))
    csv, jsonl, xlsx = metas
    assert csv["doc_id"].tolist() == jsonl["doc_id"].tolist() == xlsx["doc_id"].tolist()
    assert csv["sha256"].tolist() == jsonl["sha256"].tolist() == xlsx["sha256"].tolist()
    assert jsonl["source_file"][0].startswith("hebei_scraped.jsonl row 1;")  # JSONL counts lines, no header


def test_an_id_column_gives_slugs_and_per_row_levels(tmp_path):
    table = pd.DataFrame({"id": ["HB 2024/001", "湖北-二"], "body": ["第一份文件正文。", "第二份文件正文。"],
                          "lvl": ["provincial", "municipal"], "place": ["河北", "武汉"]})
    table.to_csv(tmp_path / "t.csv", index=False)
    raw = tmp_path / "raw"
    assert run(tmp_path / "t.csv", "--raw", raw, "--text", "body", "--id", "id", "--level-column", "lvl",
               "--region-column", "place", "--year", "2024") == 0
    meta = pd.read_csv(raw / "metadata.csv", dtype=str, keep_default_na=False)
    assert meta["doc_id"].tolist() == ["hb-2024-001", slug("湖北-二")] and len(slug("湖北-二")) == 12
    assert meta["level"].tolist() == ["provincial", "municipal"] and meta["region"].tolist() == ["河北", "武汉"]
    assert meta["title"].tolist() == ["第一份文件正文。", "第二份文件正文。"] and meta["date"].tolist() == ["2024", "2024"]


def test_provinces_from_a_column_from_the_region_or_unknown(tmp_path):
    """A provincial row's region is its province: before, --region-column left province 'unknown'."""
    table = pd.DataFrame({"body": ["第一份文件正文。", "第二份文件正文。"], "lvl": ["provincial", "municipal"],
                          "place": ["甘肃省", "武汉市"], "prov": ["甘肃省", "湖北省"]})
    table.to_csv(tmp_path / "t.csv", index=False)
    common = ["--text", "body", "--level-column", "lvl", "--region-column", "place", "--year", "2024"]
    assert run(tmp_path / "t.csv", "--raw", tmp_path / "a", *common) == 0
    assert run(tmp_path / "t.csv", "--raw", tmp_path / "b", *common, "--province-column", "prov") == 0
    province = lambda raw: pd.read_csv(raw / "metadata.csv", dtype=str, keep_default_na=False)["province"].tolist()
    assert province(tmp_path / "a") == ["甘肃省", "unknown"]
    assert province(tmp_path / "b") == ["甘肃省", "湖北省"]


@pytest.mark.parametrize("change, message", [
    (lambda t: t.assign(内容=["正文一", "  ", "正文三"]), "row 3: empty body (column '内容')"),
    (lambda t: t.assign(内容=["正文一", "正文二", "正文一"]), "row 4: duplicate body (same text as row 2)"),
    (lambda t: t.assign(时间=["2024-03-15", "去年", "2023"]), "row 3: date '去年' in column '时间' is not a date"),
    (lambda t: t.drop(columns=["链接"]), "no column --url '链接'"),
])
def test_bad_rows_stop_with_file_and_row(tmp_path, capsys, change, message):
    bad = tmp_path / "bad.csv"
    change(pd.read_csv(FIXTURE, dtype=str)).to_csv(bad, index=False)
    assert run(bad, "--raw", tmp_path / "raw", *MAPPING) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}: ") and message in err
    assert not (tmp_path / "raw" / "metadata.csv").exists()  # nothing half-written


def test_importing_the_same_rows_twice_is_refused(tmp_path, capsys):
    raw = tmp_path / "raw"
    assert run(FIXTURE, "--raw", raw, *MAPPING) == 0
    assert run(FIXTURE, "--raw", raw, *MAPPING) == 2
    assert "row 2: doc_id 'hebei-" in capsys.readouterr().err
    renamed = tmp_path / "again.csv"
    pd.read_csv(FIXTURE, dtype=str).assign(标题="另一个标题").to_csv(renamed, index=False)
    assert run(renamed, "--raw", raw, *MAPPING) == 2  # new ids, same bodies
    assert "same text as 'hebei-" in capsys.readouterr().err
    assert len(pd.read_csv(raw / "metadata.csv")) == 3


def test_an_unknown_level_is_refused(tmp_path, capsys):
    assert run(FIXTURE, "--raw", tmp_path / "raw", *[a if a != "provincial" else "province" for a in MAPPING]) == 2
    assert "row 2: unknown level 'province'" in capsys.readouterr().err


@pytest.mark.parametrize("cell, date", [("2023-04-27", "2023-04-27"), ("2023年4月7日", "2023-04-07"),
                                        ("发布时间：2023/4/7 10:21", "2023-04-07"), ("20230427", "2023-04-27"),
                                        ("2023年4月", "2023-04"), ("2023", "2023"), ("昨天", None)])
def test_dates_as_sites_write_them(cell, date):
    assert parse_date(cell) == date
