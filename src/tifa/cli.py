"""Command line: `python -m tifa <verb>`, one verb per pipeline product."""

from __future__ import annotations

import argparse
import os
import signal
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


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM, raised in the main thread so that every `finally` and `with` on the way out runs:
    the build's workers and Dask client stop and its staging folder is removed (tifa.pipeline)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def raise_interrupted(signum, frame):
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    """Run one verb; Ctrl-C and SIGTERM end it with one line and exit status 128 + the signal number."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for s in handlers:
            signal.signal(s, raise_interrupted)
    except ValueError:  # not the main thread (main called from a worker thread): leave signals alone
        handlers = {}
    try:
        return run(argv)
    except KeyboardInterrupt as exc:
        from tifa.pipeline import quiet_dask_shutdown

        quiet_dask_shutdown()  # also when the signal came while a cluster was starting
        signum = getattr(exc, "signum", signal.SIGINT)
        print(f"interrupted ({signal.Signals(signum).name}): stopped the workers and removed the unfinished output; "
              "earlier outputs are unchanged", file=sys.stderr)
        return 128 + signum
    finally:
        for s, handler in handlers.items():
            signal.signal(s, handler)


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tifa", description=__doc__)
    sub = parser.add_subparsers(dest="verb", required=True)

    b = sub.add_parser("build", help="raw documents -> tables in data/processed")
    b.add_argument("--raw", type=Path, default=DATA_RAW)
    b.add_argument("--out", type=Path, default=DATA_PROCESSED)
    b.add_argument("--encoding", default=None, help="decode raw files with this codec (e.g. gb18030) instead of UTF-8")
    b.add_argument("--quiet", action="store_true", help="no progress bars")
    b.add_argument("--force", action="store_true", help="write into --out even if it holds files no build wrote: they are kept, never overwritten; "
                        "only the files listed in <out>/build_manifest.txt are replaced or removed")
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
    sub.add_parser("sync-notebooks", help="normalise notebooks/NN_*.py (kernel header); a newer local .ipynb copy is written into its .py")

    i = sub.add_parser("import", help="a CSV/JSONL/XLSX collection -> <raw>/documents/*.txt + metadata.csv rows")
    i.add_argument("files", type=Path, nargs="+", help="tables with one document per row (.csv, .jsonl, .xlsx), "
                   "or with --layout legislation folders of Markdown statutes")
    i.add_argument("--raw", type=Path, required=True, help="collection folder to add to (created if missing)")
    i.add_argument("--layout", choices=("table", "legislation"), default="table",
                   help="legislation: a folder tree of statutes (# title, dated header, <!-- INFO END -->, articles); "
                        "level, date, issuer and place are read from each header, events go to <raw>/events.csv")
    i.add_argument("--text", default=None, help="column holding the body (required for tables)")
    for flag, what in (("--title", "the title (default: the body's first line)"), ("--date", "the date (any of "
                       "2023-04-27, 2023年4月27日, 2023/4/27, 20230427)"), ("--id", "a stable id (default: hash of the row)"),
                       ("--url", "the source URL"), ("--level-column", "the level of each row"),
                       ("--region-column", "the region of each row"),
                       ("--province-column", "the province of each row (default: --province; for provincial rows "
                        "without one, the region)"), ("--issuer-column", "the issuing body of each row (default: --issuer)")):
        i.add_argument(flag, default=None, help=f"column holding {what}")
    i.add_argument("--level", default=None, help="level of every row (central, provincial, municipal, district)")
    i.add_argument("--region", default=None, help="region of every row, e.g. 河北")
    i.add_argument("--province", default="unknown", help="province of every row, e.g. '河北省 Hebei'")
    i.add_argument("--genre", default="other")
    i.add_argument("--issuer", default="unknown")
    i.add_argument("--year", type=int, default=None, help="year of every row when no date column is mapped")
    i.add_argument("--prefix", default="", help="doc_id prefix, e.g. hebei")
    i.add_argument("--encoding", default="utf-8-sig", help="codec of CSV/JSONL files (e.g. gb18030)")

    k = sub.add_parser("case", help="build a real multi-tier case from its archive into data/cases/<name>/")
    from tifa.cases import CASES

    k.add_argument("name", choices=CASES)
    k.add_argument("--sample", action="store_true", help="a few documents only (seconds; what the tests and CI build)")
    k.add_argument("--out", type=Path, default=None, help="case folder (default: data/cases/<name>)")
    k.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    k.add_argument("--quiet", action="store_true", help="no progress bars")

    c = sub.add_parser("coding-sheet", help="a stratified blind sample of a build -> an .xlsx coding sheet with its protocol")
    c.add_argument("--task", required=True, choices=("attribution", "formulations", "achievements", "domains"))
    c.add_argument("--n", type=int, required=True, help="items to draw")
    c.add_argument("--seed", type=int, required=True, help="the same seed draws the same items")
    c.add_argument("--processed", type=Path, default=DATA_PROCESSED)
    c.add_argument("--raw", type=Path, default=None, help="raw folder whose codebook lists the domains (default: data/raw)")
    c.add_argument("--out", type=Path, default=None, help="default: coding_<task>_n<N>_seed<S>.xlsx in the current folder")

    s = sub.add_parser("score-coding", help="filled coding sheets -> agreement between coders and recall/precision of the rules")
    s.add_argument("files", type=Path, nargs="+", help="filled sheets of one task, one per coder")
    s.add_argument("--processed", type=Path, default=DATA_PROCESSED, help="the build the sheets were drawn from")
    s.add_argument("--task", default=None, choices=("attribution", "formulations", "achievements", "domains"),
                   help="refuse sheets of another task")
    s.add_argument("--out", type=Path, default=None, help="scores CSV; default: <first file>_scores.csv beside it")

    lg = sub.add_parser("legislation", help="a legislation build -> its articles.csv and citations.csv (after tifa build)")
    lg.add_argument("--processed", type=Path, required=True, help="the build of a corpus imported with --layout legislation")
    lg.add_argument("--raw", type=Path, default=None, help="its raw folder: events.csv dates each law's first adoption")

    e = sub.add_parser("export", help="copies of the tables for spreadsheet programs")
    e.add_argument("--safe-csv", action="store_true", required=True,
                   help="neutralise cells that start with = + - @ or a tab (leading apostrophe, as OWASP recommends)")
    e.add_argument("--processed", type=Path, default=DATA_PROCESSED)
    e.add_argument("--out", type=Path, required=True, help="folder for the copies (not --processed)")

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
                except KeyboardInterrupt:  # one line, below: not the warnings of a build that stopped
                    raise
                except BaseException:
                    summarise_warnings(caught)
                    raise
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

            from tifa.config import PROJECT_ROOT
            from tifa.outputs.notebooks import case_of, execute, sources

            require_build(args.processed)
            for src in sources():
                case = case_of(src)
                processed = PROJECT_ROOT / "data" / "cases" / case / "processed" if case else args.processed
                if case and not (processed / "documents.csv").is_file():  # a case notebook needs its case's build
                    print(f"skipped {src.name}: case {case} is not built (make cases)", file=sys.stderr)
                    continue
                try:
                    print(f"wrote {execute(src, processed, args.out)}")
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
        elif args.verb == "import" and args.layout == "legislation":
            from tifa.inputs.legislation import import_folder

            for folder in args.files:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    try:
                        ids = import_folder(folder, args.raw, args.prefix)
                    finally:
                        summarise_warnings(caught)
                print(f"imported {len(ids)} statutes from {folder} into {args.raw}")
        elif args.verb == "import":
            from tifa.inputs.importer import Mapping, import_table

            if args.text is None:
                parser.error("import: --text is required for tables")

            mapping = Mapping(**{k: getattr(args, k) for k in ("text", "title", "date", "id", "url", "level", "level_column",
                                                                 "region", "region_column", "province", "province_column", "genre",
                                                                 "issuer", "issuer_column", "year", "prefix")})
            for path in args.files:
                ids = import_table(path, args.raw, mapping, args.encoding)
                print(f"imported {len(ids)} documents from {path} into {args.raw}")
        elif args.verb == "case":
            from importlib import import_module

            case = import_module(f"tifa.cases.{args.name}")
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    written = case.build_case(args.out or case.CASE_DIR, sample=args.sample, workers=args.workers,
                                              progress=not args.quiet)
                finally:
                    summarise_warnings(caught)
            print(f"built case {args.name}: " + ", ".join(f"{k} {v}" for k, v in written.items()))
        elif args.verb == "coding-sheet":
            from tifa.validation.kit import coding_sheet

            require_build(args.processed)
            out = args.out or Path(f"coding_{args.task}_n{args.n}_seed{args.seed}.xlsx")
            sample = coding_sheet(args.task, args.n, args.seed, args.processed, out, args.raw)
            print(f"wrote {out} ({len(sample)} items from {sample['doc_id'].nunique()} documents)")
        elif args.verb == "score-coding":
            import pandas as pd

            from tifa.validation.kit import score_coding

            require_build(args.processed)
            scores = score_coding(args.files, args.processed, args.task)
            out = args.out or args.files[0].with_name(f"{args.files[0].stem}_scores.csv")
            scores.to_csv(out, index=False, lineterminator="\n")
            with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_colwidth", 40):
                print(scores.drop(columns=["files", "note"]).to_string(index=False))
            print(f"wrote {out}")
        elif args.verb == "legislation":
            from tifa.stages.citations import resolution_summary, write_legislation_tables

            tables = write_legislation_tables(args.processed, args.raw)
            in_corpus, resolved, share, unresolved = resolution_summary(tables["citations"])
            print(f"wrote {len(tables['articles'])} articles and {len(tables['citations'])} citations to {args.processed}; "
                  f"of {in_corpus} citations of a title in the corpus, {resolved} resolved to the version in force "
                  f"({share:.1%}); {len(unresolved)} titles unresolved")
            print(tables["citation_reuse_validation"].to_string(index=False))
        elif args.verb == "export":
            from tifa.outputs.spreadsheet import safe_csv_copies

            require_build(args.processed)
            written = safe_csv_copies(args.processed, args.out)
            print(f"wrote {len(written)} neutralised CSV tables to {args.out}")
        elif args.verb == "dictionary":
            from tifa.schemas import write_dictionary

            write_dictionary(args.out)
            print(f"wrote {args.out}")
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0
