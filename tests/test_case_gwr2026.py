"""The 2026 provincial work-report case: read from the archive kept in the project, dated from the bylines,
built with the project's own pipeline (a sample of six provinces; `make cases` builds all 31)."""


import pandas as pd
import pytest

from tifa.cases import gwr2026
from tifa.errors import InputError


@pytest.mark.parametrize("head, date", [
    ("2026年山东省政府工作报告\n——2026年1月27日在山东省第十四届人民代表大会第五次会议上\n", "2026-01-27"),
    ("2026年甘肃省政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第五次会议上\n", "2026-01-27"),
    ("政府工作报告\n（2026年1月27日在贵州省第十四届人民代表大会第五次会议上）\n", "2026-01-27"),
    ("政府工作报告\n――2026年1月27日在青海省第十四届人民代表大会第五次会议上\n", "2026-01-27"),
    ("2026年浙江省政府工作报告\n2026年1月14日在浙江省第十四届人民代表大会第五次会议上\n", "2026-01-14"),
    ("2026年某省政府工作报告\n来源：某省日报\n时间：2026-02-05\n各位代表：\n", None),
])
def test_the_date_of_delivery_is_read_from_the_byline(head, date):
    assert gwr2026.delivered(head) == date


def test_every_province_is_read_from_the_archive_and_dated_before_its_page():
    reports = gwr2026.provincial_reports()
    assert len(reports) == 31 and reports["id"].is_unique and set(reports["province"]) == set(gwr2026.PROVINCES)
    dates = pd.to_datetime(reports["date_from_byline_or_page"])
    assert dates.between("2026-01-01", "2026-02-28").all()
    assert (dates <= pd.to_datetime(reports["publish_date"])).all()  # delivered, then published


def test_the_central_parents_precede_every_provincial_report():
    central = gwr2026.central_reports()
    assert list(central["id"]) == ["central-2025-gwr", "central-2024-gwr", "central-2022-cpc20-report"]
    assert central["title"].str.contains("2025年").iloc[0] and "决议" not in "".join(central["title"])
    assert central["content"].str.len().min() > 10_000
    assert pd.to_datetime(central["date"]).max() < pd.to_datetime(gwr2026.provincial_reports()["date_from_byline_or_page"]).min()


def test_a_missing_or_broken_archive_is_named(tmp_path):
    with pytest.raises(InputError, match="archive not found"):
        gwr2026.provincial_reports(tmp_path / "none.tar.xz")
    broken = tmp_path / "broken.tar.xz"
    broken.write_bytes(b"not an archive")
    with pytest.raises(InputError, match=r"broken\.tar\.xz.*not a readable"):
        gwr2026.provincial_reports(broken)


@pytest.fixture(scope="module")
def sample_case(gwr2026_sample):
    return gwr2026_sample


def test_the_sample_builds_with_a_row_per_province_and_its_figure(sample_case):
    provinces = pd.read_csv(sample_case / "processed" / "provinces.csv")
    assert sorted(provinces["province"]) == sorted(gwr2026.SAMPLE)
    assert (provinces["hits_ci_low"] <= provinces["hits_per_10k"]).all() and (provinces["hits_per_10k"] <= provinces["hits_ci_high"]).all()
    assert (provinces["formulations_used"] > 0).all()
    for ext in ("pdf", "svg", "png", "csv"):
        assert (sample_case / "figures" / f"province_ranking.{ext}").is_file()


def test_front_matter_is_gone_and_every_central_source_precedes_its_copy(sample_case):
    cleaning = pd.read_csv(sample_case / "processed" / "cleaning.csv")
    front = cleaning[cleaning["rule"] == "site_front_matter_lines"].set_index("doc_id")["n_changes"]
    assert front["shandong"] == 11  # the toolbar (9 lines), 来源：… and 时间：…
    normalized = (sample_case / "processed" / "normalized" / "shandong.txt").read_text(encoding="utf-8")
    assert normalized.startswith("2026年山东省政府工作报告\n——2026年1月27日在") and "【字号" not in normalized[:300]
    sources = pd.read_csv(sample_case / "processed" / "central_sources.csv")
    assert not sources.empty and (sources["time_order"] == "before").all() and (sources["lag_days_min"] > 0).all()
    reuse = pd.read_csv(sample_case / "processed" / "central_reuse.csv")
    # against the background of every State Council report, most of what a 2026 report shares with the centre is
    # formulaic; what is identified has one source, dated before the report
    assert reuse["formulaic"].mean() > 0.5
    identified = reuse[reuse["source_identified"]]
    assert not identified["source_doc_id"].str.contains(";").any() and (identified["time_order"] == "before").all()
