"""Time and memory of the build, per stage, on synthetic corpora of growing size.

Usage: python scripts/benchmark.py [--sizes 100 400 1600 6400 10000] [--workers 2] [--out docs/benchmark.md]

Each corpus is generated from the five local seeds (see `synthetic_corpus`) and built in a
fresh subprocess, so peak memory is that build's own (main process plus the largest worker).
Stage times come from timing wrappers around the stage functions the build calls. The
targets of issue 10 (10,000 documents in at most 5 minutes and 4 GB on 2 cores, time
growing with a log-log slope of at most 1.1, the seeds within 2x the import floor) are
checked here and written into the report, not asserted in the tests: timings depend on
the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from tifa.config import DATA_RAW, PROJECT_ROOT, RANDOM_SEED

SEEDS = ("gansu-2022-speech", "baoji-2022-speech", "weinan-2023-plan", "city-2023-vicemayor-speech", "wuchang-2023-plan")
TARGET_CHARS = 5000
REPLACE = 0.9  # share of the seed's two- and three-character words replaced in a synthetic document
LAYOUTS = ("lines", "lines", "lines", "lines", "one_line", "fullwidth", "halfwidth", "footer", "crlf", "fullwidth")
HALF = str.maketrans("，。：；（）！？", ",.:;()!?")
FOOTER = "更多信息请关注河北省市场监督管理局网站　打印本页　关闭窗口"
STAGES = ("inputs", "documents", "extract", "frames", "central", "reuse", "stats", "write")


# ------------------------------------------------------------------ corpus
def _seed_lines() -> tuple[dict[str, list[list[str]]], list[str], list[str]]:
    """Seed lines as jieba tokens, the Han vocabulary (with repeats, i.e. frequency-weighted), and seed sentences."""
    import jieba

    jieba.setLogLevel(60)
    lines, vocabulary, sentences = {}, [], []
    for doc_id in SEEDS:
        text = (DATA_RAW / "documents" / f"{doc_id}.txt").read_text(encoding="utf-8")
        lines[doc_id] = [list(jieba.cut(line)) for line in text.splitlines() if line.strip()]
        vocabulary += [t for line in lines[doc_id] for t in line if len(t) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in t)]
        sentences += [s + "。" for s in text.replace("\n", "").split("。") if 20 <= len(s) <= 120]
    for path in sorted((DATA_RAW / "documents").glob("central-*.txt")):  # local documents quote the centre too
        text = path.read_text(encoding="utf-8")
        sentences += [s + "。" for s in text.replace("\n", "").split("。") if 20 <= len(s) <= 120]
    return lines, vocabulary, sentences


def _layout(lines: list[str], layout: str) -> str:
    if layout == "one_line":
        return "".join(lines) + "\n"
    if layout == "fullwidth":
        return "　　".join(lines) + "\n"
    if layout == "halfwidth":
        return "\n".join(line.translate(HALF) for line in lines) + "\n"
    if layout == "footer":
        return "\n".join(lines) + "\n" + FOOTER + "\n"
    if layout == "crlf":
        return "\r\n".join(lines) + "\r\n"
    return "\n".join(lines) + "\n"


def synthetic_corpus(target: Path, n_docs: int) -> dict:
    """A raw folder of `n_docs` seeds-like documents of about TARGET_CHARS characters.

    Each document takes the line structure (title, headings, enumerated items) of one seed,
    keeps its words of four or more characters (formulations, names) and replaces each
    shorter word with probability REPLACE by a word drawn from the seeds' vocabulary, so
    documents read like the seeds without being copies of a few templates (with a low
    replacement rate, the n/5 documents made from one seed would share passages pairwise:
    reuse output, and time, would grow with the square of the corpus by construction);
    it then quotes three sentences verbatim from a pool of n/5 sentences of the seeds and
    the central texts (about 15 documents share each quote, so reuse pairs grow linearly)
    and is laid out as scraped sites do: one line, paragraphs marked by full-width spaces,
    half-width punctuation, a site footer, CRLF, or plain lines. One document in 200
    carries a 2,000-character run of masks. The five central texts of data/raw join the
    corpus unchanged (n counts the synthetic documents only).
    """
    rng = random.Random(RANDOM_SEED + n_docs)
    seed_lines, vocabulary, sentences = _seed_lines()
    pool = rng.sample(sentences, min(len(sentences), max(20, n_docs // 5)))
    meta = pd.read_csv(DATA_RAW / "metadata.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    target.mkdir(parents=True)
    for folder in ("lexicon", "codebook", "glossary", "background"):  # the background: passages are looked up in it
        if (DATA_RAW / folder).is_dir():
            shutil.copytree(DATA_RAW / folder, target / folder)
    (target / "documents").mkdir()
    rows, layouts = [], Counter()
    for k in range(n_docs):
        seed = SEEDS[k % len(SEEDS)]
        out, size = [], 0
        start = rng.randrange(1, max(2, len(seed_lines[seed]) // 3))
        for tokens in [seed_lines[seed][0]] + seed_lines[seed][start:] + seed_lines[seed][1:start]:
            line = "".join(rng.choice(vocabulary) if 2 <= len(t) <= 3 and rng.random() < REPLACE else t for t in tokens)
            out.append(line)
            size += len(line)
            if size >= TARGET_CHARS:
                break
        for _ in range(3):
            at = rng.randrange(1, len(out))
            out[at] = out[at] + rng.choice(pool)
        if k % 200 == 199:
            out.insert(len(out) // 2, "×" * 2000)
        layout = LAYOUTS[k % len(LAYOUTS)]
        layouts[layout] += 1
        doc_id = f"syn-{k:05d}"
        data = _layout(out, layout).encode("utf-8")
        (target / "documents" / f"{doc_id}.txt").write_bytes(data)
        row = meta.loc[seed].to_dict()
        row.update(doc_id=doc_id, source_file=f"synthetic from {seed} ({layout})", title=out[0][:60],
                   sha256=__import__("hashlib").sha256(data).hexdigest())
        rows.append(row)
    for doc_id in sorted(d for d in meta.index if meta.at[d, "level"] == "central"):  # the centre, as in data/raw
        shutil.copy2(DATA_RAW / "documents" / f"{doc_id}.txt", target / "documents" / f"{doc_id}.txt")
        rows.append({"doc_id": doc_id, **meta.loc[doc_id].to_dict()})
    pd.DataFrame(rows)[["doc_id", *meta.columns]].to_csv(target / "metadata.csv", index=False)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in (target / "documents").glob("*.txt"))
    return {"documents": n_docs, "characters": chars, "layouts": dict(layouts)}


# ------------------------------------------------------------------ one build
def _timed(module, name: str, stage: str, times: dict, key=None) -> None:
    """Replace module.name by a wrapper adding its wall time to times[stage] (or to times[key(*args)])."""
    if not hasattr(module, name):
        return
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            where = key(*args) if key else stage
            times[where] = times.get(where, 0.0) + time.perf_counter() - started

    setattr(module, name, wrapper)


def generate(n_docs: int, raw: Path) -> dict:
    """`synthetic_corpus` in a process of its own (see `run_one`), with the time it took."""
    if raw.exists():
        shutil.rmtree(raw)
    started = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--generate", str(n_docs), str(raw)],
                         check=True, capture_output=True, text=True).stdout
    return {**json.loads(out.strip().splitlines()[-1]), "generate_s": round(time.perf_counter() - started, 1)}


def run_one(raw: Path, workers: int) -> dict:
    """Build the corpus in `raw` in this process; return stage times and peak memory. The corpus was
    generated by another process, so this one starts as `python -m tifa build` would, and its only
    children are the build's workers (whose largest resident memory is `peak_worker_mib`)."""
    import inspect

    from tifa.stages import central, extract, frames, reuse, stats
    from tifa import pipeline

    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for module, name, stage in ((pipeline, "inputs", "inputs"), (pipeline, "process_corpus", "documents"),
                                    (extract, "tables", "extract"), (frames, "tables", "frames"),
                                    (central, "tables", "central"), (reuse, "tables", "reuse"),
                                    (stats, "tables", "stats"), (pipeline, "write_tables", "write")):
            _timed(module, name, stage, times)
        kwargs = {"progress": False}
        if "workers" in inspect.signature(pipeline.build).parameters:
            kwargs["workers"] = workers
        started = time.perf_counter()
        pipeline.build(raw, Path(tmp) / "processed", **kwargs)
        total = time.perf_counter() - started
    if "documents" not in times:  # an older build without the process_corpus seam: what the others leave
        times["documents"] = total - sum(times.values())
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"workers": workers, "total_s": round(total, 2), **{f"{s}_s": round(times.get(s, 0.0), 2) for s in STAGES},
            "peak_mib": round(peak_self), "peak_worker_mib": round(peak_child)}


def import_floor() -> float:
    """Seconds to start Python, import pandas and load jieba's dictionary (the least a build can take)."""
    code = "import pandas, jieba; jieba.setLogLevel(60); jieba.initialize()"
    return _wall([sys.executable, "-c", code])


def seeds_build(workers: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        return _wall([sys.executable, "-m", "tifa", "build", "--raw", str(DATA_RAW), "--out", f"{tmp}/processed",
                      "--quiet", *(["--workers", str(workers)] if _has_workers() else [])])


def _has_workers() -> bool:
    import inspect

    from tifa import pipeline

    return "workers" in inspect.signature(pipeline.build).parameters


def _wall(command: list[str], repeats: int = 3) -> float:
    """Best of `repeats` wall times (the least disturbed by other load on the machine)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        best = min(best, time.perf_counter() - started)
    return best


# ------------------------------------------------------------------ report
def slope(results: pd.DataFrame) -> float:
    import numpy as np

    return float(np.polyfit(np.log(results["characters"]), np.log(results["total_s"]), 1)[0])


def plot(results: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(5, 3.6))
    ax.loglog(results["characters"], results["total_s"], "o-", label="total")
    for stage in ("documents", "frames", "reuse", "extract"):
        ax.loglog(results["characters"], results[f"{stage}_s"].clip(lower=1e-2), ".--", label=stage, alpha=0.7)
    fit = np.polyfit(np.log(results["characters"]), np.log(results["total_s"]), 1)
    xs = np.array([results["characters"].min(), results["characters"].max()])
    ax.loglog(xs, np.exp(np.polyval(fit, np.log(xs))), "k:", label=f"fit, slope {fit[0]:.2f}")
    ax.set_xlabel("characters in the corpus")
    ax.set_ylabel("build time (s)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})  # no timestamp in the SVG
    plt.close(fig)


def markdown_table(table: pd.DataFrame) -> str:
    """A pipe table (pandas' to_markdown needs tabulate, which the project does not install)."""
    lines = ["| " + " | ".join(map(str, table.columns)) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in row) + " |"
              for row in table.itertuples(index=False)]
    return "\n".join(lines)


def write_report(results: pd.DataFrame, floor: float | None, seeds: float | None, args, path: Path) -> None:
    cores = len(os.sched_getaffinity(0))
    load = os.getloadavg()[0]
    fitted = slope(results) if len(results) >= 2 else float("nan")
    biggest = results.iloc[-1]
    table = results[["documents", "characters", "total_s", *[f"{s}_s" for s in STAGES], "peak_mib", "peak_worker_mib"]]
    lines = [
        "# Build benchmark", "",
        f"`python scripts/benchmark.py --sizes {' '.join(map(str, args.sizes))} --workers {args.workers}` on "
        f"{platform.machine()}, Python {platform.python_version()}, {cores} cores (load average {load:.1f} when written: "
        "the CPU was shared with other jobs, so times are upper bounds and vary between runs).", "",
        "Corpora are synthetic (`synthetic_corpus` in the script): seeds-like documents of about 5,000 characters "
        f"(the line structure of a seed, {REPLACE:.0%} of its two- and three-character words replaced by seed vocabulary, "
        "three quoted sentences of the seeds or the central texts shared with about 15 other documents), laid out as "
        "scraped sites are: one line, full-width-space paragraphs, half-width punctuation, site footers, CRLF; one "
        "document in 200 has a 2,000-character mask run; the five central texts are added (`documents` counts the "
        "synthetic ones). Each size is generated in one process and built in a fresh one; `peak_mib` is that process's maximum resident memory, "
        "`peak_worker_mib` the largest worker's. Stage columns are wall seconds: `documents` is the per-document "
        "stage on the workers (normalise, structure, segment with jieba's dictionary and algorithm through jieba-rs, extract priorities and achievements, detect "
        "formulations and speech acts), with the main process joining each group of documents' tables as the results "
        "come in; `extract` and `frames` are what remains of those stages at corpus level.", "",
        markdown_table(table), "",
        "![build time against corpus size](benchmark.svg)", "",
        f"Fitted log-log slope of total time against characters: **{fitted:.2f}** (target at most 1.1; 1 is linear).",
    ]
    if floor is not None and seeds is not None:
        lines += ["", f"Seeds (`python -m tifa build` on data/raw, best of 3): {seeds:.1f} s; import floor (start Python, "
                  f"import pandas, load jieba's dictionary, best of 3): {floor:.1f} s; ratio **{seeds / floor:.1f}×** "
                  "(target at most 2×)."]
    peak = max(biggest["peak_mib"], biggest["peak_worker_mib"])
    verdicts = [f"slope at most 1.1: {'met' if fitted <= 1.1 else 'not met'} ({fitted:.2f} fitted over all sizes)"]
    if len(results) >= 2:
        last = results.iloc[-2:]
        local = slope(last)
        verdicts[0] += f"; between the two largest sizes {local:.2f}, per stage: " + ", ".join(
            f"{stage} {slope(last.assign(total_s=last[f'{stage}_s'].clip(lower=1e-3))):.2f}"
            for stage in ("documents", "central", "reuse", "stats"))
    by_size = results.set_index("documents")["total_s"]
    fourfold = [(n, by_size[n * 4] / by_size[n]) for n in by_size.index if n * 4 in by_size.index]
    if fourfold:
        verdicts.append("4× the documents in at most 4.4× the time: "
                        f"{'met' if all(r <= 4.4 for _, r in fourfold) else 'not met'} ("
                        + ", ".join(f"{n}→{4 * n}: {r:.2f}×" for n, r in fourfold) + ")")
    if int(biggest["documents"]) >= 10_000:
        verdicts.append(f"10,000 documents within 300 s: {'met' if biggest['total_s'] <= 300 else 'not met'} "
                        f"({biggest['total_s']:.0f} s); within 4,096 MiB in any one process: {'met' if peak <= 4096 else 'not met'} "
                        f"({peak:.0f} MiB; main process {biggest['peak_mib']:.0f}, largest worker {biggest['peak_worker_mib']:.0f})")
    else:
        per_doc = biggest["total_s"] / biggest["documents"]
        verdicts.append(f"10,000 documents not built here; at the largest size's rate ({per_doc:.3f} s per document) "
                        f"they would take about {per_doc * 10_000:.0f} s (target 300 s)")
    if floor is not None and seeds is not None:
        verdicts.append(f"seeds within 2× the import floor: {'met' if seeds <= 2 * floor else 'not met'} ({seeds / floor:.1f}×)")
    lines += ["", "Targets (issue 10): 10,000 documents in at most 300 s and 4,096 MiB on 2 cores; slope at most 1.1; "
              f"seeds within 2× the import floor. Largest size measured here: {int(biggest['documents'])} documents in "
              f"{biggest['total_s']:.0f} s, {peak:.0f} MiB peak.", "", *[f"- {v}" for v in verdicts]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 400, 1600, 6400, 10000])
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "benchmark.md")
    parser.add_argument("--one", type=Path, default=None, help=argparse.SUPPRESS)  # internal: build one corpus folder, JSON out
    parser.add_argument("--generate", nargs=2, default=None, help=argparse.SUPPRESS)  # internal: N folder, JSON out
    parser.add_argument("--keep", type=Path, default=None, help="keep generated corpora in this folder")
    parser.add_argument("--no-floor", action="store_true", help="skip the seeds-against-import-floor timing")
    args = parser.parse_args()
    if args.generate is not None:
        print(json.dumps(synthetic_corpus(Path(args.generate[1]), int(args.generate[0]))))
        return
    if args.one is not None:
        print(json.dumps(run_one(args.one, args.workers)))
        return
    results = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            raw = (args.keep or Path(tmp)) / f"raw-{n}"
            info = generate(n, raw)
            command = [sys.executable, __file__, "--one", str(raw), "--workers", str(args.workers)]
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append({**info, **json.loads(out.strip().splitlines()[-1])})
        print({k: v for k, v in results[-1].items() if k != "layouts"}, flush=True)
        partial = pd.DataFrame(results)
        partial.to_csv(args.out.with_suffix(".csv"), index=False)
    results = pd.DataFrame(results)
    floor = seeds = None
    if not args.no_floor:
        floor, seeds = import_floor(), seeds_build(args.workers)
    plot(results, args.out.with_suffix(".svg"))
    write_report(results, floor, seeds, args, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
