"""Command line: `python -m tifa <verb>`, one verb per pipeline product."""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

from tifa.config import DATA_PROCESSED, DATA_RAW, DOCS, outputs_beside
from tifa.errors import InputError


def require_build(processed: Path | None) -> None:
    """Figures, reports and notebooks read a build: refuse a folder that is not one, naming it."""
    if processed is not None and not (processed / "documents.csv").is_file():
        raise InputError(processed, "not a build (no documents.csv); run `python -m tifa build --out` into it first")


def summarise_warnings(caught: list[warnings.WarningMessage], limit: int = 10) -> None:
    """Print warnings once per kind: a corpus of 1,000 scraped pages would otherwise print 1,000 lines
    saying that a page has no outline. `<file>: <problem>` warnings are grouped by problem."""
    groups: dict[str, list[str]] = {}
    for w in caught:
        text = str(w.message)
        where, sep, problem = text.partition(": ")
        key, example = (problem, where) if sep and ("/" in where or where.endswith((".txt", ".csv"))) else (text, "")
        groups.setdefault(key, []).append(example)
    for problem, wheres in list(groups.items())[:limit]:
        if len(wheres) == 1:
            print(f"warning: {wheres[0] + ': ' if wheres[0] else ''}{problem}", file=sys.stderr)
        else:
            print(f"warning: {len(wheres)} files: {problem} (e.g. {wheres[0]})", file=sys.stderr)
    if len(groups) > limit:
        print(f"warning: … and {len(groups) - limit} other kinds of warning", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tifa", description=__doc__)
    sub = parser.add_subparsers(dest="verb", required=True)

    b = sub.add_parser("build", help="raw documents -> tables in data/processed")
    b.add_argument("--raw", type=Path, default=DATA_RAW)
    b.add_argument("--out", type=Path, default=DATA_PROCESSED)
    b.add_argument("--encoding", default=None, help="decode raw files with this codec (e.g. gb18030) instead of UTF-8")
    b.add_argument("--quiet", action="store_true", help="no progress bars")
    b.add_argument("--force", action="store_true", help="write into --out even if it holds files other than a previous build")
    b.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="processes for the per-document stage (default: all cores; one below 50 documents)")
    b.add_argument("--format", choices=("csv", "parquet"), default="csv",
                   help="parquet: also write every table as Parquet under <out>/parquet/, partitioned by level")
    b.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="run the per-document stage on a Dask cluster: tcp://host:8786, or 'local' for a LocalCluster")

    f = sub.add_parser("figures", help="tables -> figures/<name>.pdf|svg|png|csv")
    f.add_argument("--processed", type=Path, default=DATA_PROCESSED)
    f.add_argument("--out", type=Path, default=None,
                   help="default: figures/ for the project's data, else beside --processed (<parent>/figures)")

    r = sub.add_parser("report", help="tables + figures -> reports/index.html, reports/tables/*.tex")
    r.add_argument("--processed", type=Path, default=DATA_PROCESSED, help="the build; its figures are those beside it")
    r.add_argument("--out", type=Path, default=None, help="default: reports/ for the project's data, else beside --processed")

    n = sub.add_parser("notebooks", help="execute notebooks/NN_*.py in order -> reports/<notebook>.html")
    n.add_argument("--processed", type=Path, default=DATA_PROCESSED, help="the build, the notebooks' one parameter")
    n.add_argument("--out", type=Path, default=None,
                   help="HTML folder; default: reports/ for the project's data, else beside --processed (<parent>/reports)")

    g = sub.add_parser("run", help="run the build graph up to a target, skipping what is up to date (what `make report` calls)")
    g.add_argument("target", nargs="?", default="report", help="report (default), build, figures, notebooks, dictionary, "
                   "or one task such as figure:attention_by_domain")
    g.add_argument("--raw", type=Path, default=DATA_RAW)
    g.add_argument("--processed", type=Path, default=DATA_PROCESSED)
    g.add_argument("--list", action="store_true", help="list the tasks and what each reads, run nothing")

    gr = sub.add_parser("graph", help="draw the build graph -> docs/build_graph.svg|png")
    gr.add_argument("--out", type=Path, default=DOCS / "build_graph")
    sub.add_parser("sync-notebooks", help="write the output-free .ipynb twin of every notebooks/NN_*.py")

    i = sub.add_parser("import", help="a CSV/JSONL/XLSX collection -> <raw>/documents/*.txt + metadata.csv rows")
    i.add_argument("files", type=Path, nargs="+", help="tables with one document per row (.csv, .jsonl, .xlsx)")
    i.add_argument("--raw", type=Path, required=True, help="collection folder to add to (created if missing)")
    i.add_argument("--text", required=True, help="column holding the body")
    for flag, what in (("--title", "the title (default: the body's first line)"), ("--date", "the date (any of "
                       "2023-04-27, 2023年4月27日, 2023/4/27, 20230427)"), ("--id", "a stable id (default: hash of the row)"),
                       ("--url", "the source URL"), ("--level-column", "the level of each row"),
                       ("--region-column", "the region of each row"),
                       ("--province-column", "the province of each row (default: --province; for provincial rows "
                        "without one, the region)")):
        i.add_argument(flag, default=None, help=f"column holding {what}")
    i.add_argument("--level", default=None, help="level of every row (central, provincial, municipal, district)")
    i.add_argument("--region", default=None, help="region of every row, e.g. 河北")
    i.add_argument("--province", default="unknown", help="province of every row, e.g. '河北省 Hebei'")
    i.add_argument("--genre", default="other")
    i.add_argument("--issuer", default="unknown")
    i.add_argument("--year", type=int, default=None, help="year of every row when no date column is mapped")
    i.add_argument("--prefix", default="", help="doc_id prefix, e.g. hebei")
    i.add_argument("--encoding", default="utf-8-sig", help="codec of CSV/JSONL files (e.g. gb18030)")

    d = sub.add_parser("dictionary", help="write docs/data_dictionary.md from the table schemas")
    d.add_argument("--out", type=Path, default=DOCS / "data_dictionary.md")

    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        if args.verb == "build":
            from tifa.pipeline import build

            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    tables = build(args.raw, args.out, args.encoding, progress=not args.quiet, force=args.force,
                                   workers=args.workers, dask=args.dask, parquet=args.format == "parquet")
                finally:
                    summarise_warnings(caught)
            print(f"built {len(tables)} tables in {args.out}")
        elif args.verb == "figures":
            from tifa.outputs.figures import make_all

            require_build(args.processed)
            out = args.out or outputs_beside(args.processed, "figures")
            names = make_all(args.processed, out)
            print(f"wrote {len(names)} figures to {out}")
        elif args.verb == "report":
            from tifa.outputs.report import write_report

            require_build(args.processed)
            path = write_report(args.processed, args.out)
            print(f"wrote {path}")
        elif args.verb == "notebooks":
            from nbclient.exceptions import CellExecutionError

            from tifa.outputs.notebooks import execute, sources

            require_build(args.processed)
            for src in sources():
                try:
                    print(f"wrote {execute(src, args.processed, args.out)}")
                except CellExecutionError as exc:  # a cell raised: name the notebook and the error, no traceback
                    print(f"error: {src}: a cell raised {exc.ename}: {exc.evalue}", file=sys.stderr)
                    return 2
                except RuntimeError as exc:  # a cell wrote a warning (tifa.outputs.notebooks.execute)
                    print(f"error: {src.parent / str(exc)}", file=sys.stderr)
                    return 2
        elif args.verb == "run":
            from tifa.graph import describe, run

            if args.list:
                print(describe(args.raw, args.processed))
            elif run(args.target, args.raw, args.processed):
                return 2
        elif args.verb == "graph":
            from tifa.graph import draw

            for path in draw(args.out):
                print(f"wrote {path}")
        elif args.verb == "sync-notebooks":
            from tifa.outputs.notebooks import sync

            for path in sync():
                print(f"wrote {path}")
        elif args.verb == "import":
            from tifa.inputs.importer import Mapping, import_table

            mapping = Mapping(**{k: getattr(args, k) for k in ("text", "title", "date", "id", "url", "level", "level_column",
                                                                 "region", "region_column", "province", "province_column", "genre",
                                                                 "issuer", "year", "prefix")})
            for path in args.files:
                ids = import_table(path, args.raw, mapping, args.encoding)
                print(f"imported {len(ids)} documents from {path} into {args.raw}")
        elif args.verb == "dictionary":
            from tifa.schemas import write_dictionary

            write_dictionary(args.out)
            print(f"wrote {args.out}")
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0
