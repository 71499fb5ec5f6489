"""The output folder of a build: which files a build may replace, and where it may write at all.

A build writes into a staging folder beside `--out` and swaps it in (`tifa.pipeline.write_tables`).
What it may delete is written down: every build leaves `build_manifest.txt` in the output folder,
the sorted list of the files it wrote. The next build replaces or removes exactly those files and
nothing else, with or without `--force`; `--force` only allows writing into a folder that holds
other files, which are kept where they are, and never overwrites one of them.

A folder built before manifests existed is read by name: if it holds the tables every build writes, the
files a build writes (known tables, the normalised text of each of its documents, their Parquet copies)
are the previous build's, and any other file is the user's.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from tifa.errors import InputError

MANIFEST = "build_manifest.txt"
MANIFEST_HEADER = "# files written by `python -m tifa build`; the next build replaces or removes these and no others"


def files_in(folder: Path) -> list[str]:
    """Every file (and symlink) under `folder`, as sorted POSIX paths relative to it; links are not followed."""
    found = []
    for root, dirs, files in os.walk(folder):
        base = Path(root).relative_to(folder)
        for name in files + [d for d in dirs if (Path(root) / d).is_symlink()]:
            found.append((base / name).as_posix())
    return sorted(found)


def write_manifest(folder: Path) -> list[str]:
    """List every file of a freshly written build in its manifest (deterministic: sorted paths only)."""
    written = [f for f in files_in(folder) if f != MANIFEST]
    (folder / MANIFEST).write_text("\n".join([MANIFEST_HEADER, *written]) + "\n", encoding="utf-8", newline="\n")
    return written


def previous_build_files(folder: Path) -> set[str]:
    """The files a previous build wrote into `folder`: its manifest's list (and the manifest), or, for a
    folder built before manifests, `legacy_build_files`. Empty for a folder no build wrote."""
    manifest = folder / MANIFEST
    if manifest.is_file():
        listed = manifest.read_text(encoding="utf-8").splitlines()[1:]
        return {f for f in listed if f and ".." not in Path(f).parts and not f.startswith("/")} | {MANIFEST}
    return legacy_build_files(folder)


LEGACY_REQUIRED = ("documents.csv", "cleaning.csv", "outline.csv", "sentences.csv")


def legacy_build_files(folder: Path) -> set[str]:
    """For a folder built before manifests: the files a build would have written there, by name (the
    tables tifa knows, the normalised text of each document in its documents.csv, their Parquet copies),
    provided the folder holds the tables every build writes. Other files, even CSV ones, are the user's."""
    import csv

    from tifa.inputs.ids import doc_id_problem
    from tifa.schemas import TABLES

    if not all((folder / name).is_file() for name in LEGACY_REQUIRED):
        return set()
    with open(folder / "documents.csv", encoding="utf-8", newline="") as f:
        doc_ids = {row.get("doc_id", "") for row in csv.DictReader(f)}
    tables = [name for name, t in TABLES.items() if t.where == "processed"]
    names = {f"{t}.csv" for t in tables} | {f"parquet/{t}.parquet" for t in tables}
    names |= {f"normalized/{d}.txt" for d in doc_ids if not doc_id_problem(d)}
    parquet_parts = re.compile(r"parquet/(?P<table>[^/]+)/level=[a-z]+/part-0\.parquet")
    return {f for f in files_in(folder)
            if f in names or ((m := parquet_parts.fullmatch(f)) and m["table"] in tables)}


def other_files(folder: Path, hidden: bool = False) -> list[str]:
    """Files in `folder` that no build wrote (the user's); hidden ones such as .DS_Store only if `hidden`."""
    if not folder.is_dir():
        return []
    ours = previous_build_files(folder)
    return [f for f in files_in(folder) if f not in ours and (hidden or not Path(f).name.startswith("."))]


def overlaps(a: Path, b: Path) -> bool:
    """Whether one folder is, holds or lies inside the other."""
    return a == b or a in b.parents or b in a.parents


def check_out_dir(out_dir: Path, raw_dir: Path | None = None, force: bool = False,
                  table_files: tuple[str, ...] = ()) -> Path:
    """The absolute output folder, or InputError when writing there could destroy something: it is a file,
    it is, holds or lies inside the raw folder, it is the current folder or holds it (the build swaps the
    whole folder), or it holds files no build wrote (allowed with --force, never one of `table_files`)."""
    out_dir = Path(os.path.abspath(out_dir))
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(out_dir, "--out is a file, not a folder")
    if raw_dir is not None and overlaps(out_dir.resolve(), Path(os.path.abspath(raw_dir)).resolve()):
        raise InputError(out_dir, f"--out is, holds or lies inside the raw folder {raw_dir}; the build would replace "
                                  "its inputs. Choose a folder outside it")
    if out_dir == Path.cwd() or out_dir in Path.cwd().parents or out_dir.parent == out_dir:
        raise InputError(out_dir, "--out is the current folder or holds it; the build replaces the whole folder, "
                                  "so name a subfolder (e.g. --out processed)")
    for parent in out_dir.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(out_dir, f"--out lies under {parent}, which is a file")
            break
    others = other_files(out_dir)
    if others and not force:
        raise InputError(out_dir, f"--out holds files that are not a previous build's (e.g. {others[0]}); choose another folder or "
                                  f"pass --force, which replaces only the files listed in {MANIFEST} and keeps the others")
    clash = sorted(set(others) & set(table_files))
    if clash:
        raise InputError(out_dir / clash[0], "a build would overwrite this file, which no build wrote; "
                                             "--force never does: move it or choose another folder")
    return out_dir


STAGING = re.compile(r"\.(?P<name>.+)\.building-(?:(?P<pid>\d+)-)?[^/]*")


def staging_prefix(out_dir: Path) -> str:
    """Name prefix of this process's staging folder beside `out_dir` (the pid tells whether it is still in use)."""
    return f".{out_dir.name}.building-{os.getpid()}-"


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Remove the staging folders that interrupted builds into `out_dir` left beside it: those whose build
    process is gone (a staging folder of a build still running is left alone)."""
    import psutil

    removed = []
    if not out_dir.parent.is_dir():
        return removed
    for entry in out_dir.parent.iterdir():
        m = STAGING.fullmatch(entry.name)
        if not m or m["name"] != out_dir.name or not entry.is_dir() or entry.is_symlink():
            continue
        if m["pid"] and int(m["pid"]) != os.getpid() and psutil.pid_exists(int(m["pid"])):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace `out_dir` by `staging`, carrying over the files no build wrote (their names were checked
    against the new build's by `check_out_dir`). A failure while carrying them puts everything back."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    new = set(files_in(staging))
    keep = other_files(out_dir, hidden=True)
    clash = sorted(set(keep) & new)
    if clash:
        raise InputError(out_dir / clash[0], "the build would overwrite this file, which no build wrote; "
                                             "--force never does: move it or choose another folder")
    retired = out_dir.with_name(f".{out_dir.name}.previous")
    shutil.rmtree(retired, ignore_errors=True)
    out_dir.rename(retired)
    moved = []
    try:
        for f in keep:
            (staging / f).parent.mkdir(parents=True, exist_ok=True)
            (retired / f).rename(staging / f)
            moved.append(f)
        staging.rename(out_dir)
    except BaseException:
        for f in moved:
            (staging / f).rename(retired / f)
        retired.rename(out_dir)
        raise
    shutil.rmtree(retired)
