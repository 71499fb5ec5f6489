"""Case: central laws and State Council regulations with the provincial and city regulations of Shandong and
Henan (`data/cases/archives/laws-shandong-henan.tar.xz`, a copy of `shared/corpora/`; provenance in its README).

Every regulation is dated and names its parents in its first article, so who draws on whom has ground truth
(`tifa.stages.citations`), and the tiers can be compared on one genre (`tifa.stages.vertical`). `build_case`
unpacks the archive, imports it with the legislation layout (`tifa.inputs.legislation`), builds it with the
project's pipeline and writes the case's own tables beside the build's.
"""

from __future__ import annotations

import tarfile
import tempfile
from pathlib import Path

import pandas as pd

from tifa.cases import CASE_OUTPUTS
from tifa.config import DATA_RAW, PROJECT_ROOT
from tifa.errors import InputError

ARCHIVE = PROJECT_ROOT / "data" / "cases" / "archives" / "laws-shandong-henan.tar.xz"
CASE_DIR = PROJECT_ROOT / "data" / "cases" / "legislation"
# The sample the tests and CI build: the 优化营商环境条例 chain (State Council, both provinces, seven cities)
# and the product-quality, standardisation, metrology and market-entity texts of the centre and Shandong.
SAMPLE = PROJECT_ROOT / "data" / "cases" / "archives" / "legislation_sample.txt"
CASE_TABLES = CASE_OUTPUTS["legislation"][1]


def unpack(archive: Path, into: Path, members: list[str] | None = None) -> Path:
    """The archive's folder (all of it, or the listed members) under `into`."""
    if not archive.is_file():
        raise InputError(archive, "archive not found (copy shared/corpora/laws-shandong-henan.tar.xz there)")
    try:
        with tarfile.open(archive, "r:xz") as tar:
            chosen = [tar.getmember(m) for m in members] if members else [m for m in tar.getmembers() if m.isfile()]
            for member in chosen:
                if member.name.startswith(("/", "..")) or ".." in Path(member.name).parts or not member.isfile():
                    raise InputError(archive, f"unsafe or unexpected member {member.name!r}")
                tar.extract(member, into, filter="data")
    except KeyError as exc:
        raise InputError(archive, f"no member {exc.args[0]!r} (listed in {SAMPLE.name})") from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise InputError(archive, f"not a readable .tar.xz archive: {exc}") from None
    return into / "laws-shandong-henan"


def sample_members(path: Path = SAMPLE) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def build_case(out_dir: Path = CASE_DIR, sample: bool = False, archive: Path = ARCHIVE, workers: int = 1,
               progress: bool = True) -> dict[str, Path]:
    """archive -> raw folder (legislation layout) -> the project's build -> articles, citations and vertical reuse."""
    from tifa.cases import case_folder
    from tifa.inputs.legislation import import_folder
    from tifa.outputs.plots import save
    from tifa.pipeline import build
    from tifa.stages.citations import write_legislation_tables
    from tifa.validation.parents import write_pair_validation

    raw, processed = out_dir / "raw", out_dir / "processed"
    case_folder(out_dir, ("figures", *(f"processed/{name}.csv" for name in CASE_TABLES)))
    with tempfile.TemporaryDirectory() as tmp:
        folder = unpack(archive, Path(tmp), sample_members() if sample else None)
        import_folder(folder, raw, prefix="law", template=DATA_RAW)
    build(raw, processed, progress=progress, force=True, workers=workers)
    tables = write_legislation_tables(processed, raw)
    write_models(processed, tables)
    write_pair_validation(processed, DATA_RAW / "annotations")
    fig, data = chain_timeline(pd.read_csv(processed / "documents.csv", dtype=str, keep_default_na=False))
    save(fig, "chain_timeline", data, out_dir / "figures")
    return {"raw": raw, "processed": processed, "figures": out_dir / "figures"}


def write_models(processed: Path, tables: dict) -> None:
    """tier_model.csv (GEE by tier and level, clustered by region) and placebo_contrast.csv (cluster bootstrap)."""
    import pandas as pd

    from tifa.pipeline import write_csv
    from tifa.schemas import validate
    from tifa.stages.vertical_models import placebo_contrast, tier_model

    documents = pd.read_csv(processed / "documents.csv", dtype=str, keep_default_na=False)
    write_csv(validate("tier_model", tier_model(tables["reuse_by_tier"])), processed / "tier_model.csv")
    write_csv(validate("placebo_contrast", placebo_contrast(tables["placebo"], documents)), processed / "placebo_contrast.csv")


CHAIN = "优化营商环境条例"


def chain(documents: pd.DataFrame, topic: str = CHAIN) -> pd.DataFrame:
    """Every regulation whose title ends with `topic` (the State Council's and each province's and city's own),
    in date order: who legislated it, when."""
    rows = documents[documents["title"].str.endswith(topic)].copy()
    rows["date"] = pd.to_datetime(rows["date"])
    return rows[["doc_id", "title", "level", "province", "region", "date"]].sort_values(["date", "doc_id"]).reset_index(drop=True)


def chain_timeline(documents: pd.DataFrame, topic: str = CHAIN):
    """The chain as a timeline: one row per province (and the centre), a point per regulation coloured by level."""
    import matplotlib.dates as mdates

    from tifa.outputs.plots import LEVEL_COLOURS, figure, level_handles

    data = chain(documents, topic)
    data["row"] = data["province"].where(data["level"] != "central", "全国 (national)")
    rows = ["全国 (national)"] + sorted(r for r in data["row"].unique() if r != "全国 (national)")
    fig, ax = figure("double", 1.2 + 0.35 * len(rows))
    y = data["row"].map({r: i for i, r in enumerate(rows)})
    ax.scatter(data["date"], y, c=[LEVEL_COLOURS[lv] for lv in data["level"]], s=22, zorder=3)
    last: dict[int, pd.Timestamp] = {}
    flip: dict[int, bool] = {}
    for date, yy, region in zip(data["date"], y, data["region"]):
        city = str(region).split("省")[-1] if "省" in str(region) else ""
        if city:  # a label above the point, below it when the row's previous label is within two months
            flip[yy] = yy in last and (date - last[yy]).days < 60 and not flip.get(yy, False)
            last[yy] = date
            ax.annotate(city, (date, yy), xytext=(0, -11 if flip[yy] else 6), textcoords="offset points", fontsize=6,
                        ha="center", va="center")
    ax.set_yticks(range(len(rows)), [{"全国 (national)": "centre 中央"}.get(r, r) for r in rows])
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.set_xlabel(f"date of adoption (regulations titled …{topic})")
    fig.legend(handles=level_handles(data["level"]), title="level 层级", frameon=False, loc="outside upper center", ncols=3,
               fontsize=6)
    return fig, data.drop(columns=["row"])


def load_case(case_dir: Path = CASE_DIR) -> dict[str, pd.DataFrame]:
    """A built case's tables, the case's own included (tifa.cases.load_case)."""
    from tifa.cases import load_case as load

    return load(case_dir, "legislation", CASE_TABLES)
