"""`--format parquet`: every table also as Parquet, partitioned by level, equal to its CSV and stable across runs."""

import filecmp
import subprocess
import sys

import pandas as pd
import pyarrow.dataset as ds
import pytest

from tifa.config import DATA_RAW


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("parquet")
    for name in ("a", "b"):
        subprocess.run([sys.executable, "-m", "tifa", "build", "--raw", str(DATA_RAW), "--out", str(root / name),
                        "--format", "parquet", "--quiet"], check=True, capture_output=True)
    return root / "a", root / "b"


@pytest.mark.slow
def test_every_table_reads_back_equal_to_its_csv(two_builds):
    out, _ = two_builds
    for csv in sorted(out.glob("*.csv")):
        table = pd.read_csv(csv, keep_default_na=False, na_values=[""])
        partitioned = out / "parquet" / csv.stem
        if partitioned.is_dir():
            back = ds.dataset(partitioned, format="parquet", partitioning="hive").to_table().to_pandas()
            assert set(back["level"]) == set(table["level"]), csv.stem
        else:
            back = pd.read_parquet(out / "parquet" / f"{csv.stem}.parquet")
        assert len(back) == len(table) and set(back.columns) == set(table.columns), csv.stem


@pytest.mark.slow
def test_parquet_files_are_byte_identical_across_builds(two_builds):
    a, b = two_builds
    files = sorted(p.relative_to(a / "parquet") for p in (a / "parquet").rglob("*.parquet"))
    assert files and files == sorted(p.relative_to(b / "parquet") for p in (b / "parquet").rglob("*.parquet"))
    _, mismatch, errors = filecmp.cmpfiles(a / "parquet", b / "parquet", [str(f) for f in files], shallow=False)
    assert not mismatch and not errors, mismatch + errors


@pytest.mark.slow
def test_a_csv_only_rebuild_removes_the_old_parquet(two_builds, tmp_path):
    out, _ = two_builds
    subprocess.run([sys.executable, "-m", "tifa", "build", "--raw", str(DATA_RAW), "--out", str(out), "--quiet"],
                   check=True, capture_output=True)
    assert not (out / "parquet").exists()
