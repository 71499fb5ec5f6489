"""A real Dask cluster: a `dask scheduler` and two `dask worker` processes on this machine, reached over TCP as a
researcher reaches an existing cluster (`tifa build --dask tcp://host:port`). The tables must be the same bytes as a
one-process build."""

import filecmp
import os
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from tifa.config import DATA_RAW
from tifa.pipeline import build

DASK = Path(sys.executable).with_name("dask")


def _start(args: list[str], log: Path) -> subprocess.Popen:
    # their own process group, so the test can stop each with everything it started
    return subprocess.Popen([str(DASK), *args], stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def _wait_for_workers(scheduler_file: Path, n: int, timeout: float = 60) -> str:
    from dask.distributed import Client

    deadline = time.monotonic() + timeout
    while not scheduler_file.exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the scheduler wrote no scheduler file")
        time.sleep(0.2)
    with Client(scheduler_file=str(scheduler_file), timeout=timeout) as client:
        client.wait_for_workers(n, timeout=max(1.0, deadline - time.monotonic()))
        return client.scheduler.address


@pytest.mark.slow
@pytest.mark.skipif(not DASK.exists(), reason="the dask command line is not installed beside this Python")
def test_build_on_a_scheduler_with_two_worker_processes_is_byte_identical(tmp_path):
    scheduler_file = tmp_path / "scheduler.json"
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(scheduler_file)], logs / "scheduler.log")]
    try:
        while not scheduler_file.exists() and procs[0].poll() is None:
            time.sleep(0.2)
        for k in range(2):
            procs.append(_start(["worker", "--scheduler-file", str(scheduler_file), "--nworkers", "1", "--nthreads", "1",
                                 "--no-dashboard", "--local-directory", str(tmp_path / f"w{k}"), "--name", f"w{k}"],
                                logs / f"worker{k}.log"))
        address = _wait_for_workers(scheduler_file, 2)
        assert address.startswith("tcp://127.0.0.1:")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            build(DATA_RAW, tmp_path / "one", progress=False)
            build(DATA_RAW, tmp_path / "cluster", progress=False, dask=address)
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "cluster") for p in (tmp_path / "cluster").rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "one", tmp_path / "cluster", [str(p) for p in files], shallow=False)
    assert not mismatch and not errors, mismatch + errors
    shutil.rmtree(tmp_path / "logs", ignore_errors=True)
