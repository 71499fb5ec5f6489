"""Time the build graph on a copy of the seeds: a clean run, a run with nothing changed, and runs after
one lexicon row changed (its English gloss, then one of its patterns). Each run is a fresh
`python -m tifa run <target>` process, as `make report` starts one, so start-up is counted.
Writes a Markdown table (default docs/incremental.md) with the seconds and the tasks each run redid.

    python scripts/incremental.py                 # target report: build, figures, notebooks, site
    python scripts/incremental.py --target figures
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tifa.config import DATA_RAW  # noqa: E402


def run(target: str, raw: Path, processed: Path) -> tuple[float, list[str], list[str]]:
    """Seconds of one graph run, the tasks it ran and those it found up to date."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tifa", "run", target, "--raw", str(raw), "--processed", str(processed)],
                          capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"error: the graph run failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    ran = re.findall(r"^\.  (\S+)", done.stdout, flags=re.M)
    skipped = re.findall(r"^-- (\S+)", done.stdout, flags=re.M)
    return seconds, ran, skipped


def edit_lexicon(raw: Path, formulation_id: str, column: str, value: str) -> None:
    path = raw / "lexicon" / "formulations.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    row = next(r for r in rows if r["formulation_id"] == formulation_id)
    row[column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", default="report")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "incremental.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tifa-incremental-") as tmp:
        raw, processed = Path(tmp) / "raw", Path(tmp) / "processed"
        shutil.copytree(DATA_RAW, raw)
        steps = [("clean run (nothing built yet)", None),
                 ("nothing changed", None),
                 ("one lexicon row: its English gloss (four_strictest)",
                  lambda: edit_lexicon(raw, "four_strictest", "english", "the four strictest requirements (edited)")),
                 ("one lexicon row: its variant pattern removed (four_strictest: fewer hits)",
                  lambda: edit_lexicon(raw, "four_strictest", "variants", "")),
                 ("nothing changed", None)]
        rows = []
        for what, change in steps:
            if change:
                change()
            seconds, ran, skipped = run(args.target, raw, processed)
            rows.append((what, seconds, ran, skipped))
            print(f"{what}: {seconds:.1f} s, ran {len(ran)}, up to date {len(skipped)}", flush=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = ["# Incremental builds", "",
             f"`python scripts/incremental.py --target {args.target}` on {platform.machine()}, Python {platform.python_version()}, "
             f"{os.cpu_count()} cores (load average {load:.1f} when written: the machine was shared, so times are upper bounds). "
             "Each run is a fresh `python -m tifa run` process on a copy of the seeds (`data/raw/`), so Python's start-up is "
             "included; `make report` adds only make's own check of the virtual environment.", "",
             "| run | seconds | tasks run | up to date | which ran |", "|---|---:|---:|---:|---|"]
    for what, seconds, ran, skipped in rows:
        shown = ", ".join(ran) if len(ran) <= 10 else ", ".join(ran[:3]) + f", … ({len(ran) - 3} more)"
        lines.append(f"| {what} | {seconds:.1f} | {len(ran)} | {len(skipped)} | {shown} |")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
