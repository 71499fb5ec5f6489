"""Case: the 2026 government work reports of the 31 provinces against the central reports before them.

One genre, one year, 31 units, every document dated to the day, and its central parents in the corpus:
the State Council's government work reports of March 2024 and March 2025 and the 20th Party Congress report
(October 2022) precede every provincial report (January–February 2026). The archive
(`data/cases/archives/gwr-2026.tar.xz`, a copy of `shared/corpora/gwr-2026.tar.xz`; provenance in its
README) holds the provincial pages as scraped (site toolbar, byline, source and time lines: removed by the
cleaner as front matter) and the central texts as scraped from Wikisource.

`prepare` writes an ordinary raw folder through the importer, so the case builds with the same
`tifa build` as any corpus; `province_table` adds the per-province view this case exists for.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
import tempfile
from pathlib import Path

import pandas as pd

from tifa.config import DATA_RAW, PROJECT_ROOT
from tifa.errors import InputError
from tifa.inputs.importer import Mapping, import_table
from tifa.inputs.legislation import PROVINCES  # the 31 provincial units, Chinese -> English
from tifa.text.structure import chinese_numeral

ARCHIVE = PROJECT_ROOT / "data" / "cases" / "archives" / "gwr-2026.tar.xz"
CASE_DIR = PROJECT_ROOT / "data" / "cases" / "gwr2026"

# The central parents: (file in the archive, how to find the text, doc_id, date of delivery, issuer).
CENTRAL = (
    ("gwr-2026/central/government_work_reports.jsonl", ("year", 2025), "central-2025-gwr", "2025-03-05",
     "国务院 (李强 at the 3rd session of the 14th NPC)"),
    ("gwr-2026/central/government_work_reports.jsonl", ("year", 2024), "central-2024-gwr", "2024-03-05",
     "国务院 (李强 at the 2nd session of the 14th NPC)"),
    ("gwr-2026/central/cpc_congress_reports.jsonl", ("congress", 20), "central-2022-cpc20-report", "2022-10-16",
     "中国共产党中央委员会 (习近平 at the 20th National Congress)"),
)
# A sample that builds in seconds, for the tests and CI: provinces of three regions and of both page layouts.
SAMPLE = ("山东省", "河南省", "广东省", "甘肃省", "云南省", "四川省")

_CN_DATE = r"([0-9〇零一二三四五六七八九十]{4})年([0-9一二三四五六七八九十]{1,3})月([0-9一二三四五六七八九十]{1,3})日"
BYLINE_DATE = re.compile(rf"^[—―\-（(]*\s*{_CN_DATE}在", re.M)


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4:  # a year written digit by digit: 二〇二六
        return int("".join(str("〇一二三四五六七八九".index(c.replace("零", "〇"))) for c in text))
    return chinese_numeral(text)


def delivered(text: str) -> str | None:
    """The date in a report's byline (——2026年1月27日在…会议上, also in Chinese numerals), or None."""
    m = BYLINE_DATE.search(text[:2000])
    if not m:
        return None
    year, month, day = (_number(g) for g in m.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _members(archive: Path) -> dict[str, bytes]:
    if not archive.is_file():
        raise InputError(archive, "archive not found (copy shared/corpora/gwr-2026.tar.xz there)")
    try:
        with tarfile.open(archive, "r:xz") as tar:
            return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise InputError(archive, f"not a readable .tar.xz archive: {exc}") from None


def provincial_reports(archive: Path = ARCHIVE, provinces: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per provincial report, with an English id and the delivery date read from its byline
    (the page's publication date where a byline gives none)."""
    members = _members(archive)
    frames = []
    for name in sorted(n for n in members if n.startswith("gwr-2026/provincial/") and n.endswith(".csv")):
        table = pd.read_csv(io.BytesIO(members[name]), dtype=str, keep_default_na=False)
        table["member"] = name
        frames.append(table)
    reports = pd.concat(frames, ignore_index=True)
    unknown = sorted(set(reports["province"]) - set(PROVINCES))
    if unknown:
        raise InputError(archive, f"provinces without an English name in tifa.cases.gwr2026.PROVINCES: {', '.join(unknown)}")
    if provinces is not None:
        reports = reports[reports["province"].isin(provinces)]
    reports = reports.assign(
        id=reports["province"].map(lambda p: PROVINCES[p].lower().replace(" ", "-")),
        date_from_byline_or_page=[delivered(t) or d for t, d in zip(reports["full_text"], reports["publish_date"])],
        issuer=reports["province"] + "人民政府",
    )
    return reports.sort_values("id").reset_index(drop=True)


def central_reports(archive: Path = ARCHIVE) -> pd.DataFrame:
    members = _members(archive)
    rows = []
    for member, (key, value), doc_id, date, issuer in CENTRAL:
        records = [json.loads(line) for line in members[member].decode("utf-8").splitlines() if line.strip()]
        found = [r for r in records if str(r.get(key)) == str(value) and "决议" not in r["title"]]
        if len(found) != 1:
            raise InputError(archive, f"{member}: expected one text with {key} = {value}, found {len(found)}")
        rows.append({"id": doc_id, "title": found[0]["title"], "date": date, "content": found[0]["content"],
                     "url": found[0]["url"], "issuer": issuer, "province": "全国 (national)",
                     "region": "中华人民共和国 (China, national)"})
    return pd.DataFrame(rows)


def prepare(raw: Path, archive: Path = ARCHIVE, provinces: tuple[str, ...] | None = None) -> list[str]:
    """Write the case's raw folder (documents, metadata with provenance, the project's lexicon and codebook)
    into a folder that does not exist yet."""
    if raw.exists():
        raise InputError(raw, "exists already: the case's raw folder is made from the archive alone")
    ids = []
    with tempfile.TemporaryDirectory() as tmp:
        provincial = Path(tmp) / "gwr2026_provincial.csv"
        provincial_reports(archive, provinces).drop(columns=["member"]).to_csv(provincial, index=False)
        ids += import_table(provincial, raw, Mapping(
            text="full_text", title="title", date="date_from_byline_or_page", id="id", url="source_url", level="provincial",
            region_column="province", province_column="province", issuer_column="issuer", genre="report"),
            template=DATA_RAW)
        central = Path(tmp) / "gwr2026_central.jsonl"
        central_reports(archive).to_json(central, orient="records", lines=True, force_ascii=False)
        ids += import_table(central, raw, Mapping(
            text="content", title="title", date="date", id="id", url="url", level="central",
            region_column="region", province_column="province", issuer_column="issuer", genre="report"),
            template=DATA_RAW)
    return ids


def english(province: str) -> str:
    """'Guangdong 广东省' for a figure label."""
    return f"{PROVINCES.get(province, province)} {province}"


def province_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per provincial report, from a build's tables: framing density (formulation hits per 10,000
    characters) and its bootstrap interval, the share of its characters in distinctive passages of the case's
    central texts (formulaic ones, held by two or more texts of the corpus and background, left out) with its
    interval, and how many of the lexicon's formulations it uses."""
    docs = tables["documents"]
    provincial = docs.loc[docs["level"] == "provincial", ["doc_id", "province", "date", "n_chars"]]
    density = tables["framing_density"][["doc_id", "hits_per_10k", "hits_ci_low", "hits_ci_high"]]
    share = tables["central_reuse_share"]
    share = share.loc[share["scope"] == "document", ["doc_id", "share_distinctive", "ci_low_distinctive", "ci_high_distinctive"]].rename(
        columns={"share_distinctive": "reuse_share", "ci_low_distinctive": "reuse_ci_low", "ci_high_distinctive": "reuse_ci_high"})
    used = tables["frame_by_doc"].query("count > 0").groupby("doc_id")["formulation_id"].nunique().rename("formulations_used")
    out = provincial.merge(density, on="doc_id", how="left").merge(share, on="doc_id", how="left").merge(used, on="doc_id", how="left")
    out["formulations_used"] = out["formulations_used"].fillna(0).astype(int)
    out.insert(2, "province_en", out["province"].map(lambda p: PROVINCES.get(p, p)))
    return out.sort_values(["hits_per_10k", "doc_id"], ascending=[False, True]).reset_index(drop=True)




def load_case(case_dir: Path = CASE_DIR) -> dict[str, pd.DataFrame]:
    """A built case's tables, provinces.csv included (tifa.cases.load_case)."""
    from tifa.cases import load_case as load

    return load(case_dir, "gwr2026", ("provinces",))


def sources_by_province(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Province x central text: characters of the report in identified passages of each central text, as a
    share of all its identified characters (which central text a report draws on most, counting only
    passages exactly one text that could precede it holds)."""
    sources = tables["central_sources"]
    wide = sources.pivot_table(index="doc_id", columns="source_doc_id", values="share_of_reused_chars", fill_value=0.0)
    names = tables["documents"].set_index("doc_id")["province"]
    wide.index = [english(names.get(d, d)) for d in wide.index]
    return wide.sort_index()


def formulation_uptake(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per formulation: in how many provincial reports it occurs, and whether each central text of the case
    uses it (a formulation none of them uses cannot have come down from them within this case)."""
    by_doc = tables["frame_by_doc"]
    docs = tables["documents"]
    provincial = set(docs.loc[docs["level"] == "provincial", "doc_id"])
    central = sorted(docs.loc[docs["level"] == "central", "doc_id"])
    present = by_doc[by_doc["count"] > 0]
    out = present[present["doc_id"].isin(provincial)].groupby("formulation_id").size().rename("n_provinces").to_frame()
    for doc_id in central:
        out[f"in_{doc_id}"] = out.index.isin(present.loc[present["doc_id"] == doc_id, "formulation_id"])
    out["share_of_provinces"] = out["n_provinces"] / max(len(provincial), 1)
    return out.reset_index().sort_values(["n_provinces", "formulation_id"], ascending=[False, True]).reset_index(drop=True)


def province_ranking(provinces: pd.DataFrame):
    """Provinces ranked by framing density, with the 95% bootstrap interval, beside the share of each report's
    characters that reproduce central passages (Wilson-type interval over sentences). One column wide."""
    import numpy as np

    from tifa.outputs.plots import OKABE_ITO, figure, rows_height

    data = provinces.sort_values(["hits_per_10k", "doc_id"], ascending=[False, True]).reset_index(drop=True)
    fig, axes = figure("single", rows_height(len(data), extra=1.2), ncols=2, sharey=True)
    y = np.arange(len(data))
    panels = (("hits_per_10k", "hits_ci_low", "hits_ci_high", "formulation hits\nper 10k characters", 1.0),
              ("reuse_share", "reuse_ci_low", "reuse_ci_high", "distinctive central\ntext, % of characters", 100.0))
    for ax, (value, low, high, label, scale), colour in zip(axes, panels, (OKABE_ITO[5], OKABE_ITO[4])):
        v, lo, hi = data[value] * scale, data[low] * scale, data[high] * scale
        ax.errorbar(v, y, xerr=[(v - lo).clip(lower=0), (hi - v).clip(lower=0)], fmt="none", ecolor="#555555",
                    capsize=1.5, linewidth=0.6)
        ax.scatter(v, y, s=8, color=colour, zorder=3)
        ax.set_xlabel(label)
        ax.set_xlim(left=0)
    axes[0].set_yticks(y, [english(p) for p in data["province"]])
    axes[0].set_ylim(len(data) - 0.5, -0.5)
    return fig, data


def build_case(out_dir: Path = CASE_DIR, sample: bool = False, archive: Path = ARCHIVE, workers: int = 1,
               progress: bool = True) -> dict[str, Path]:
    """raw folder from the archive -> the project's build -> provinces.csv and the ranking figure."""
    from tifa.cases import case_folder
    from tifa.outputs.plots import save
    from tifa.pipeline import build, load_tables, write_csv
    from tifa.schemas import validate

    raw, processed, figures = out_dir / "raw", out_dir / "processed", out_dir / "figures"
    case_folder(out_dir, ("figures", "processed/provinces.csv"))
    prepare(raw, archive, SAMPLE if sample else None)
    build(raw, processed, progress=progress, force=True, workers=workers)
    provinces = validate("gwr2026_provinces", province_table(load_tables(processed)))
    write_csv(provinces, processed / "provinces.csv")
    fig, data = province_ranking(provinces)
    save(fig, "province_ranking", data, figures)
    return {"raw": raw, "processed": processed, "figures": figures}
