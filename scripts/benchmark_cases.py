"""Time of the full build of each real case, stage by stage (issue 22: both cases in at most 5 minutes on 2 cores).

Usage: python scripts/benchmark_cases.py [--cases legislation gwr2026] [--workers 2] [--out docs/benchmark_cases.md]

Each case is built from its archive in a fresh subprocess, into a temporary folder (the case
folders under data/cases/ are left alone), exactly as `python -m tifa case NAME` builds it.
Stage times come from timing wrappers around the functions the build calls (as in
scripts/benchmark.py); `central passages` and `passage holders` are the two mapped steps of
the central-reuse stage. Times depend on the machine and its load: they are written into the
report, not asserted in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from tifa.config import PROJECT_ROOT

sys.path.insert(0, str(Path(__file__).parent))
from benchmark import _timed  # noqa: E402  (the same timing wrapper as the synthetic benchmark)

STAGES = ("prepare", "inputs", "documents", "extract", "frames", "central passages", "passage holders", "central other",
          "reuse", "stats", "write", "case tables", "case figures")
TARGET_S = 300  # both cases together


def run_one(case: str, workers: int) -> dict:
    """Build `case` into a temporary folder in this process; stage times, total and peak memory."""
    from importlib import import_module

    from tifa import pipeline
    from tifa.outputs import plots
    from tifa.stages import central, citations, extract, frames, reuse, stats

    module = import_module(f"tifa.cases.{case}")
    times: dict[str, float] = {}
    if case == "legislation":
        import tifa.inputs.legislation as legislation  # build_case imports import_folder from it when it runs

        _timed(module, "unpack", "prepare", times)
        _timed(legislation, "import_folder", "prepare", times)
    else:
        _timed(module, "prepare", "prepare", times)
    for mod, name, stage in ((pipeline, "inputs", "inputs"), (pipeline, "process_corpus", "documents"),
                             (extract, "tables", "extract"), (frames, "tables", "frames"), (central, "tables", "central"),
                             (reuse, "tables", "reuse"), (stats, "tables", "stats"), (pipeline, "write_tables", "write"),
                             (citations, "write_legislation_tables", "case tables"), (plots, "save", "case figures")):
        _timed(mod, name, stage, times)
    for name in ("write_models", "province_table"):
        if hasattr(module, name):
            _timed(module, name, "case tables", times)
    if case == "legislation":
        import tifa.validation.parents as parents  # likewise imported when build_case runs

        _timed(parents, "write_pair_validation", "case tables", times)
    _timed(central, "with_progress", "", times, key=lambda mapper, fn, desc, *rest: desc)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        module.build_case(Path(tmp) / case, workers=workers, progress=False)
        total = time.perf_counter() - started
        documents = pd.read_csv(Path(tmp) / case / "processed" / "documents.csv", usecols=["doc_id", "n_chars"])
    times["central other"] = times.get("central", 0.0) - times.get("central passages", 0.0) - times.get("passage holders", 0.0)
    return {"case": case, "documents": len(documents), "characters": int(documents["n_chars"].sum()), "workers": workers,
            "total_s": round(total, 1), **{f"{s}_s": round(times.get(s, 0.0), 1) for s in STAGES},
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "peak_worker_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=["legislation", "gwr2026"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "benchmark_cases.md")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: build one case, print its times as JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.workers)))
        return
    rows = []
    for case in args.cases:
        out = subprocess.run([sys.executable, __file__, "--one", case, "--workers", str(args.workers)], check=True,
                             capture_output=True, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    table.to_csv(args.out.with_suffix(".csv"), index=False)
    total = table["total_s"].sum()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = ["# Case build benchmark", "",
             f"`python scripts/benchmark_cases.py --workers {args.workers}` on {platform.machine()}, Python "
             f"{platform.python_version()}, {os.cpu_count()} cores (load average {load:.1f} when written). Each case is "
             "built from its archive in a fresh process, as `python -m tifa case NAME` builds it; stage columns are wall "
             "seconds (`central passages` and `passage holders` are the two mapped steps of the central-reuse stage; "
             "`case figures` includes converting the CJK font the first time a process draws).", "",
             "| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)]
    met = "met" if total <= TARGET_S else "not met"
    lines += ["", f"Both cases: {total:.0f} s; target at most {TARGET_S} s on 2 cores: **{met}**.", ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out} ({total:.0f} s in all)")


if __name__ == "__main__":
    main()
