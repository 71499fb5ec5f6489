"""Build: a pure function per document, then corpus-level joins and tables.

`process_document` touches no files and no global state, so a large corpus can
be mapped over it in parallel (e.g. with multiprocessing or dask) before the
corpus stages run. `build` writes every table to `out_dir`, deterministically.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
import tempfile
import warnings
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from tifa.config import DATA_PROCESSED, DATA_RAW
from tifa.errors import InputError
from tifa.inputs.load import Document, Inputs, inputs
from tifa.memory import release_freed_memory
from tifa.text.checks import form_warnings
from tifa.text.normalise import code_points, count_mask_chars, mask_spans, normalise_with_report
from tifa.text.structure import paragraphs, structure


@dataclass
class ProcessedDocument:
    doc: Document
    text: str  # normalised
    cleaning: dict[str, int]
    outline: pd.DataFrame
    sentences: pd.DataFrame
    words: tuple[str, "np.ndarray"] | None = None  # keyness words and their counts (tokens.word_counts), when analysed
    tables: dict | None = None  # the document's own rows of extract's and frames' tables, when analysed
    warnings: list[tuple[type, str]] = field(default_factory=list)  # raised while processing, re-raised by the caller


@dataclass(frozen=True)
class Analysis:
    """What the per-document stage needs beyond the text, in a form that travels to workers
    (plain tuples; the jieba instance and compiled patterns are rebuilt once per process)."""

    terms: tuple[str, ...]
    codebook: tuple[tuple, ...]
    codebook_columns: tuple[str, ...]
    lexicon: tuple[tuple, ...]
    lexicon_columns: tuple[str, ...]

    @classmethod
    def of(cls, bundle: Inputs) -> "Analysis":
        from tifa.text.tokens import project_terms

        return cls(tuple(project_terms(bundle.userdict, bundle.lexicon, bundle.codebook)), tuple(bundle.codebook.itertuples(index=False, name=None)),
                   tuple(bundle.codebook.columns), tuple(bundle.lexicon.itertuples(index=False, name=None)),
                   tuple(bundle.lexicon.columns))


@lru_cache(maxsize=2)
def _tools(analysis: Analysis) -> dict:
    """Tokenizer, codebook, compiled lexicon patterns and guards, built once per process and analysis."""
    from tifa.stages import frames
    from tifa.text.tokens import Tokenizer

    lexicon = pd.DataFrame(list(analysis.lexicon), columns=list(analysis.lexicon_columns))
    return {"tokenizer": Tokenizer(list(analysis.terms)),
            "codebook": pd.DataFrame(list(analysis.codebook), columns=list(analysis.codebook_columns)),
            "patterns": frames.compiled_patterns(lexicon), "guards": frames.exclusions(lexicon)}


def process_document(doc: Document, analysis: Analysis | None = None) -> ProcessedDocument:
    """Normalise and structure one document; with an `analysis`, also segment its sentences and
    extract its priorities, achievements, formulation hits and speech acts. This is the
    per-document, parallelisable step: everything here depends on this document alone, and
    it is most of a large build's work, so it runs on every worker. Warnings are kept on
    the result (a worker's own would be lost) and re-raised by `map_documents`."""
    from tifa.stages.extract import cached_tokens
    from tifa.text.tokens import word_counts

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text, cleaning = normalise_with_report(doc.text)
        if not text.strip():
            what = "a licence footer or other page furniture" if cleaning.get("page_furniture_lines") else "markup and spaces"
            raise InputError(doc.path, f"empty document after cleaning: it held only {what}; remove the file and its "
                                       "row in metadata.csv")
        for message in form_warnings(doc.path, text):
            warnings.warn(message, stacklevel=1)
        outline, sentences = structure(doc.doc_id, text, source=str(doc.path))
        words = tables = None
        if analysis is not None:
            tools = _tools(analysis)
            # through extract's token cache: the sentences coded for achievements are tokenized once
            words = word_counts(cached_tokens(tools["tokenizer"], s) for s in sentences["text"].tolist())
            tables = own_tables(doc, text, outline, sentences, tools)
    return ProcessedDocument(doc, text, cleaning, outline, sentences, words, tables,
                             [(w.category, str(w.message)) for w in caught])


def own_tables(doc: Document, text: str, outline: pd.DataFrame, sentences: pd.DataFrame, tools: dict) -> dict:
    """A document's own rows of extract's and frames' tables (sections, priorities, achievements, hits, ...)."""
    from tifa.stages import extract, frames

    return {**extract.document_tables(doc, text, outline, sentences, tools["codebook"], tools["tokenizer"]),
            **frames.document_tables(doc, text, sentences, tools["patterns"], tools["guards"])}


def document_row(p: ProcessedDocument) -> dict:
    nonspace = "".join(p.text.split())
    codes = code_points(nonspace)
    return {
        **{k: v for k, v in p.doc.meta.items()},
        "n_chars": len(nonspace),
        "n_han_chars": int(((codes >= 0x4E00) & (codes <= 0x9FFF)).sum()),
        "n_paragraphs": len(paragraphs(p.text)),
        "n_sentences": len(p.sentences),
        "n_outline_nodes": len(p.outline),
        "n_masked_chars": count_mask_chars(p.text),
        "n_masked_spans": len(mask_spans(p.text)),
        "n_masked_sentences": int(p.sentences["masked"].sum()),
    }


def cleaning_rows(p: ProcessedDocument) -> list[dict]:
    return [{"doc_id": p.doc.doc_id, "rule": rule, "n_changes": n} for rule, n in p.cleaning.items()]


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """UTF-8, LF, no index, floats to 10 significant digits: byte-stable output."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.10g")


def document_parts(p: ProcessedDocument, tools: dict | None = None) -> dict:
    """One document's rows of every per-document table: its `documents` and `cleaning` rows, outline,
    sentences, and the extract and frames tables (computed here if the per-document stage had no analysis)."""
    own = p.tables if p.tables is not None else own_tables(p.doc, p.text, p.outline, p.sentences, tools)
    return {"documents": [document_row(p)], "cleaning": cleaning_rows(p), "outline": p.outline,
            "sentences": p.sentences, **own}


def join_tables(parts: list[dict]) -> dict:
    """Join per-document (or already joined) tables key by key, in order: frames are concatenated,
    the lists of rows of documents (every table but `outline` and `sentences`) become one frame.
    Joining the joins of consecutive groups gives the join of all the parts."""
    from tifa.stages import extract, frames

    row_columns = {"documents": None, "cleaning": None, "frame_hits": frames.HIT_COLUMNS,
                   "candidates": frames.CANDIDATE_ROW_COLUMNS, "attributions": frames.ATTRIBUTION_COLUMNS,
                   **extract.TABLES}
    joined = {}
    for key in parts[0]:
        values = [part[key] for part in parts]
        if key in row_columns and all(isinstance(v, list) for v in values):  # rows of documents: one frame of all
            values = [pd.DataFrame([row for rows in values for row in rows], columns=row_columns[key])]
        filled = [v for v in values if len(v)]
        joined[key] = pd.concat(filled, ignore_index=True) if filled else values[0].iloc[0:0]
    return joined


def collect(processed: list[ProcessedDocument], inputs: Inputs | None = None) -> dict:
    """The per-document tables of `processed`, joined; each document then lets go of its own frames
    (`outline`, `sentences`, `tables` become None). A large corpus keeps one frame per table
    instead of thousands of small ones, which cost far more memory than their rows."""
    tools = _tools(Analysis.of(inputs)) if any(p.tables is None for p in processed) else None
    joined = join_tables([document_parts(p, tools) for p in processed])
    for p in processed:
        p.outline = p.sentences = p.tables = None
    return joined


def corpus_tables(processed: list[ProcessedDocument], inputs: Inputs, mapper=map,
                  joined: dict | None = None) -> dict[str, pd.DataFrame]:
    """Every table of `data/processed/`, keyed by file stem (`mapper` runs the search for central passages
    and reuse between documents). `joined`: the documents' tables already collected (`collect`);
    without it they are collected here."""
    from tifa.stages import central, extract, frames, reuse, stats
    from tifa.validation import extraction, framing  # imported here: later stages

    if joined is None:
        joined = collect(processed, inputs)
    tables = {name: joined[name] for name in ("documents", "cleaning", "outline", "sentences")}
    tables.update(label_tables(inputs))
    tables.update(extract.tables(joined))
    tables.update(frames.tables(joined, processed, inputs))
    release_freed_memory()  # each stage frees many per-document arrays: give their pages back before the next
    tables.update(central.tables(processed, tables, mapper, inputs.background))
    release_freed_memory()
    tables.update(reuse.tables(processed, mapper=mapper))
    release_freed_memory()
    tables.update(stats.tables(tables, inputs, {p.doc.doc_id: p.words for p in processed}, mapper))
    tables.update(extraction.tables(tables, inputs.annotations, inputs.codebook["domain"].tolist()))
    tables.update(framing.tables(tables, inputs.annotations, inputs.lexicon))
    return with_every_table(tables)


LABEL_TABLES = {"codebook": "codebook", "lexicon": "lexicon", "glossary": "glossary", "terms": "terms"}  # processed table: Inputs field


def label_tables(bundle: Inputs) -> dict[str, pd.DataFrame]:
    """The codebook, lexicon and glossary the build used, as tables of the build (their schemas' columns):
    figures, notebooks and the report read their labels from the processed folder, never from data/raw,
    so another corpus is labelled with its own codebook."""
    from tifa.schemas import TABLES

    return {name: getattr(bundle, field).reindex(columns=list(TABLES[name].schema.columns)).fillna("")
            for name, field in LABEL_TABLES.items()}


def with_every_table(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Add an empty, correctly headed table for each one a corpus cannot fill.

    A corpus without hand coding has no validation tables; writing them empty keeps the
    set of files the same for every corpus, so scripts reading them do not break.
    """
    from tifa.schemas import TABLES

    for name, t in TABLES.items():
        if t.where == "processed" and name not in tables:
            tables[name] = pd.DataFrame(columns=list(t.schema.columns))
    return tables


def check_out_dir(out_dir: Path, force: bool = False, raw_dir: Path | None = None) -> Path:
    """The absolute output folder, refused when a build there could destroy something (tifa.outputs.folder)."""
    from tifa.outputs.folder import check_out_dir as check
    from tifa.schemas import TABLES

    return check(out_dir, raw_dir, force, tuple(f"{n}.csv" for n, t in TABLES.items() if t.where == "processed"))


def write_parquet(tables: dict[str, pd.DataFrame], folder: Path) -> None:
    """Every table as Parquet under `folder`: tables with a `level` column partitioned by level
    (parquet/<table>/level=<level>/part-0.parquet, readable as one dataset by pyarrow, dask,
    arrow in R), the others as parquet/<table>.parquet. File names are fixed, so reruns give
    the same files; the CSVs stay the reference format."""
    folder.mkdir(exist_ok=True)
    for name, df in tables.items():
        try:
            if "level" in df.columns and len(df):
                for level, part in df.groupby("level", sort=True):
                    target = folder / name / f"level={level}"
                    target.mkdir(parents=True)
                    part.drop(columns="level").to_parquet(target / "part-0.parquet", index=False)
            else:
                df.to_parquet(folder / f"{name}.parquet", index=False)
        except (ValueError, TypeError, ImportError) as exc:  # pyarrow's type errors derive from these
            raise InputError(f"table {name}", f"cannot be written as Parquet: {exc}") from None


def write_tables(tables: dict[str, pd.DataFrame], processed: list[ProcessedDocument], out_dir: Path,
                 parquet: bool = False) -> None:
    """Validate every table and write it into a temporary folder beside `out_dir`, then swap the folder in.

    A failed build therefore leaves the previous outputs untouched, and a successful one leaves
    no table of an older build behind. The files written are listed in the folder's manifest;
    files that no build wrote (only there with `--force`) are carried over into the new folder,
    never deleted (tifa.outputs.folder).
    """
    from tifa.outputs.folder import staging_prefix, swap_in, write_manifest
    from tifa.schemas import validate

    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(out_dir), dir=out_dir.parent))
    except OSError as exc:
        raise InputError(out_dir, f"cannot create the output folder: {exc.strerror or exc}") from None
    try:
        (staging / "normalized").mkdir()
        for p in processed:
            (staging / "normalized" / f"{p.doc.doc_id}.txt").write_text(p.text, encoding="utf-8", newline="\n")
        for name, df in tables.items():
            # written as validated, in the schema's types: how a column is written (100 or 100.0) must not
            # depend on which documents were joined first (a frame of rows all without a number is untyped);
            # one table at a time, so a large corpus never holds a second copy of every table
            df = validate(name, df)
            write_csv(df, staging / f"{name}.csv")
            if parquet:
                write_parquet({name: df}, staging / "parquet")
        write_manifest(staging)
        staging.chmod(0o755)
        swap_in(staging, out_dir)
    except OSError as exc:
        raise InputError(out_dir, f"cannot write the tables: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


PARALLEL_FROM = 50  # below this many documents, starting processes costs more than it saves


class Mapper:
    """`mapper(fn, *iterables)`: the results as a list; `mapper.imap(fn, *iterables)`: as they come. In
    input order either way, whoever runs them."""

    def __init__(self, imap, gather=None):
        self.imap = imap
        self._gather = gather

    def __call__(self, fn, *iterables) -> list:
        return self._gather(fn, *iterables) if self._gather else list(self.imap(fn, *iterables))


DASK_CONNECT_TIMEOUT = 5  # seconds: a wrong scheduler address fails fast, with one line


def quiet_dask_shutdown() -> None:
    """Silence what Dask logs while an interrupted build closes its client and cluster (keys it could not
    gather, a cluster stopped while it started): the command line says in one line what happened."""
    import logging
    import sys

    for name in ("distributed", "asyncio", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    sys.unraisablehook = lambda unraisable: None  # "Exception ignored in atexit callback" of a half-started cluster


def leave_signals_to_the_parent() -> None:
    """Worker start: Ctrl-C (sent to the whole terminal's process group) is for the parent, which stops the
    workers itself; SIGTERM ends a worker at once (its inherited handler would raise in it)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def stop_pool(pool) -> None:
    """End a process pool's workers without waiting for their tasks (terminate, then kill stragglers)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    call_queue = getattr(pool, "_call_queue", None)
    if call_queue is not None:  # its feeder thread may be blocked writing to a dead worker: do not wait for it
        call_queue.cancel_join_thread()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


MAX_CHUNK = 64  # inputs per task sent to a worker process: results stream back in small steps


@contextmanager
def workers_for(n_documents: int, workers: int = 1, dask: str | None = None):
    """A `Mapper` that runs on whatever the build was given, or None for this process.

    `dask`: the address of a Dask scheduler (tcp://host:8786), or "local" for a
    LocalCluster on this machine; otherwise `workers` processes, or None (this process)
    when the corpus is small (below PARALLEL_FROM documents). Results come back in
    input order in every case, so the tables are byte-identical to a one-process build.
    """
    if dask:
        from dask.distributed import Client, LocalCluster

        import logging

        # silence_logs: the local workers' own log (a task cancelled, a heartbeat missed while the build stops)
        # is not the user's; a task's exception still reaches the build through its future
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.CRITICAL) if dask == "local" else None
        try:
            try:
                client = Client(cluster if cluster is not None else dask, timeout=DASK_CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise InputError(f"--dask {dask}", f"cannot reach the Dask scheduler within {DASK_CONNECT_TIMEOUT} s "
                                                   f"({reason[:160]})") from None
            with client:
                try:
                    yield Mapper(lambda fn, *iterables, chunksize=None: (f.result() for f in client.map(fn, *iterables, pure=False)),
                                 lambda fn, *iterables: client.gather(client.map(fn, *iterables, pure=False)))
                except KeyboardInterrupt:  # Ctrl-C or SIGTERM (tifa.cli): the cancelled tasks' log lines are noise
                    quiet_dask_shutdown()
                    raise
        finally:
            if cluster is not None:
                cluster.close()
    elif workers > 1 and n_documents >= PARALLEL_FROM:
        from concurrent.futures import ProcessPoolExecutor

        def imap(fn, *iterables, chunksize: int | None = None):
            n = min((len(i) for i in iterables), default=0)
            # tasks in chunks (a few per worker, at most MAX_CHUNK): fewer round trips for thousands of small inputs
            return pool.map(fn, *iterables, chunksize=chunksize or max(1, min(MAX_CHUNK, n // (8 * workers))))

        pool = ProcessPoolExecutor(max_workers=workers, initializer=leave_signals_to_the_parent)
        try:
            yield Mapper(imap)
        except BaseException:  # an error, Ctrl-C or SIGTERM: stop the workers now, do not wait for their tasks
            stop_pool(pool)
            raise
        pool.shutdown()
    else:
        yield None  # this process: callers keep their progress bars


def map_documents(documents: list[Document], progress: bool = True, mapper=None,
                  analysis: Analysis | None = None) -> list[ProcessedDocument]:
    """`process_document` over the corpus, in document order, each document keeping its own frames: with a
    progress bar in this process, or with a `workers_for` mapper (a process pool or Dask), which returns
    results in input order too. Warnings raised while processing are re-raised here, in document order,
    wherever they arose. (`build` uses `process_corpus`, which joins the frames as it goes.)"""
    if mapper is not None:
        processed = mapper(partial(process_document, analysis=analysis), documents)
    else:
        processed = [process_document(d, analysis) for d in tqdm(documents, desc="documents", disable=not progress)]
    for p in processed:
        reraise_warnings(p)
    return processed


def reraise_warnings(p: ProcessedDocument) -> None:
    """The warnings raised while processing `p` (wherever that ran), raised again here."""
    for category, message in p.warnings:
        warnings.warn(message, category, stacklevel=3)


BATCH = 32  # documents per task of the per-document stage; a worker joins a batch's tables before sending them


def process_batch(documents: list[Document], analysis: Analysis | None = None) -> tuple[list[ProcessedDocument], dict]:
    """`process_document` over a few documents, and their tables joined (`collect`) where they were made:
    what travels back is one frame per table, not one per document and table."""
    processed = [process_document(d, analysis) for d in documents]
    return processed, collect(processed)


def process_corpus(bundle: Inputs, progress: bool = True, mapper=None) -> tuple[list[ProcessedDocument], dict]:
    """The per-document stage over the corpus in batches of BATCH documents (on the workers when there
    is a `mapper`), the batches' tables joined as they come in. Returns the documents (in order,
    without their own frames) and the joined tables."""
    analysis = Analysis.of(bundle)
    batches = [bundle.documents[k:k + BATCH] for k in range(0, len(bundle.documents), BATCH)]
    task = partial(process_batch, analysis=analysis)
    results = mapper.imap(task, batches, chunksize=1) if mapper is not None else map(task, batches)
    processed, groups = [], []
    with tqdm(total=len(bundle.documents), desc="documents", disable=not progress) as bar:
        for sent, (batch, joined) in zip(batches, results):
            for doc, p in zip(sent, batch):
                reraise_warnings(p)
                p.doc = doc  # the corpus's own Document, not the copy that came back (its raw text twice)
            processed.extend(batch)
            groups.append(joined)
            bar.update(len(batch))
    return processed, join_tables(groups)


def build(raw_dir: Path = DATA_RAW, out_dir: Path = DATA_PROCESSED, encoding: str | None = None,
          progress: bool = True, force: bool = False, workers: int = 1, dask: str | None = None,
          parquet: bool = False) -> dict[str, pd.DataFrame]:
    """Run the whole pipeline from `raw_dir` into `out_dir` and return the tables.

    Any `InputError` on the way leaves `out_dir` as it was, and its message says so.
    `workers`/`dask` change who runs the per-document stage and the alignment of
    candidate pairs in reuse between documents (`workers_for`), nothing else.
    """
    from tifa.outputs.folder import remove_stale_staging

    out_dir = check_out_dir(out_dir, force, raw_dir)
    remove_stale_staging(out_dir)
    had_build = out_dir.is_dir() and any(out_dir.iterdir())
    try:
        bundle = inputs(raw_dir, encoding)
        with workers_for(len(bundle.documents), workers, dask) as mapper:
            processed, joined = process_corpus(bundle, progress, mapper)
            tables = corpus_tables(processed, bundle, mapper or map, joined)
        write_tables(tables, processed, out_dir, parquet)
    except InputError as exc:
        kept = f"{out_dir} still holds the previous build, unchanged" if had_build else f"nothing was written to {out_dir}"
        raise InputError(exc.where, f"{exc.problem}\n(build stopped: {kept})") from None
    return tables


def load_tables(out_dir: Path = DATA_PROCESSED) -> dict[str, pd.DataFrame]:
    """Read back every processed table (for notebooks, figures and reports), each as `read_table` reads it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {p.stem: read_table(p) for p in sorted(out_dir.glob("*.csv"))}


def read_table(path: Path) -> pd.DataFrame:
    """One processed table. The label tables are read as the inputs were (text, empty cells as empty
    strings). A folder may come from elsewhere, so its doc_ids are checked again (tifa.inputs.ids): they
    become file names and links, and `../../secret` would read a file outside the folder."""
    from tifa.inputs.ids import check_doc_ids

    if path.stem in LABEL_TABLES:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    table = pd.read_csv(path, encoding="utf-8", keep_default_na=False, na_values=[""], low_memory=False)
    if "doc_id" in table.columns:
        check_doc_ids(table["doc_id"].dropna().astype(str), path)
    return table
