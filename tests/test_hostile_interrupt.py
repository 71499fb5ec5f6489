"""Clean interruption (issue 25): SIGINT or SIGTERM sent from outside to a build of a 300-document
corpus on two worker processes ends it with one line and status 128 + signal, leaves no worker process
alive, no staging folder, and the previous output as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from fixtures.scraped_corpus import rows
from tifa.inputs.importer import Mapping, import_table

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("interrupt")
    pages = root / "pages.csv"
    pd.DataFrame(rows(300)).to_csv(pages, index=False)
    import_table(pages, root / "raw", Mapping(text="内容", title="标题", date="时间", level_column="级别", url="链接",
                                              prefix="hebei"))
    return root / "raw"


def start_build(raw: Path, out: Path, *extra: str) -> tuple[subprocess.Popen, list[psutil.Process]]:
    """A build on two worker processes, returned once both workers run (and have had time to take tasks)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    build = subprocess.Popen([sys.executable, "-m", "tifa", "build", "--raw", str(raw), "--out", str(out), "--workers", "2",
                              "--quiet", "--force", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    parent = psutil.Process(build.pid)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        workers = parent.children(recursive=True)
        if len(workers) >= 2:
            time.sleep(8 if extra else 1.5)  # a Dask cluster takes longer to start
            return build, parent.children(recursive=True)
        assert build.poll() is None, build.communicate()[1]
        time.sleep(0.05)
    raise AssertionError("the build started no workers")


def survivors(processes: list[psutil.Process]) -> list[int]:
    alive = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p.pid)
        except psutil.NoSuchProcess:
            pass
    return alive


@pytest.mark.parametrize("signum, extra", [(signal.SIGTERM, ()), (signal.SIGINT, ()),
                                           (signal.SIGTERM, ("--dask", "local"))])
def test_a_signal_stops_the_workers_and_leaves_the_previous_output(corpus, tmp_path, signum, extra):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # a previous state to keep
    build, workers = start_build(corpus, out, *extra)
    assert build.poll() is None, "the build finished before the signal: make the corpus larger"
    build.send_signal(signum)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 128 + signum
    assert "Traceback" not in err and err.strip().splitlines() == [
        f"interrupted ({signal.Signals(signum).name}): stopped the workers and removed the unfinished output; "
        "earlier outputs are unchanged"]
    deadline = time.monotonic() + 10
    while survivors(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert survivors(workers) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no .out.building-* left
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
