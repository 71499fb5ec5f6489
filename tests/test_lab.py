"""`make lab` as a researcher uses it: JupyterLab headless on 127.0.0.1 with a token.

The test runs the Makefile's own `lab` recipe in a scratch copy of the checkout (notebooks/
and jupytext.toml copied, data/ linked; the kernel registered into a temporary prefix
instead of .venv; --no-browser), then
- lists the notebooks through the REST API (/api/contents/notebooks), opens each .py as a
  notebook (jupytext), checks that it names the `tifa` kernel and that the server knows it
  (/api/kernelspecs), and that "Jupytext Notebook" is the default viewer of .py files;
- opens a session on the first notebook with the `tifa` kernel and runs its first code
  cells over the kernel's websocket, as JupyterLab does: no cell may fail, and the kernel
  must import tifa from this checkout;
- opens and saves every notebook through the API, as JupyterLab's autosave does (with the
  metadata a running kernel adds), and checks that `git status` of the scratch checkout stays
  clean; an edit saved reaches the .py, and after `git checkout` the notebook opens again.
Nothing is written into the repository. Skipped, with the reason, when jupyterlab is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tifa.config import NOTEBOOKS

ROOT = NOTEBOOKS.parent
try:
    import jupyterlab  # noqa: F401
except ImportError:  # pragma: no cover
    jupyterlab = None
try:
    import websocket  # websocket-client, a jupyter_server dependency
except ImportError:  # pragma: no cover
    websocket = None

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(jupyterlab is None, reason="jupyterlab is not installed in this environment; `make lab` check skipped"),
              pytest.mark.skipif(websocket is None, reason="websocket-client is not installed; `make lab` check skipped"),
              pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed; `make lab` check skipped")]

TOKEN = uuid.uuid4().hex
N_CODE_CELLS = 2  # the parameters cell and the imports/loading cell of the first notebook


def _git(checkout: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *args], cwd=checkout,
                          capture_output=True, text=True, check=True).stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, path: str, method: str = "GET", body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, method=method,
                                     headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
    return json.loads(text) if text else None


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab` on a free port of 127.0.0.1; yields the base URL, stops the server afterwards."""
    prefix = tmp_path_factory.mktemp("kernel-prefix")
    checkout = tmp_path_factory.mktemp("checkout")
    shutil.copytree(NOTEBOOKS, checkout / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.ipynb"))
    shutil.copy2(ROOT / "jupytext.toml", checkout / "jupytext.toml")
    shutil.copytree(ROOT / "jupyter", checkout / "jupyter")
    for name in ("data", "requirements.lock", "pyproject.toml"):
        (checkout / name).symlink_to(ROOT / name)
    (checkout / ".gitignore").write_text("data\nrequirements.lock\npyproject.toml\n.ipynb_checkpoints/\n")
    _git(checkout, "init", "-q")
    _git(checkout, "add", "-A")
    _git(checkout, "commit", "-q", "-m", "scratch checkout")
    port = _free_port()
    args = (f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={TOKEN} "
            f"--ServerApp.open_browser=False --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(prefix / "config"), "JUPYTER_DATA_DIR": str(prefix / "data"),
           "JUPYTER_RUNTIME_DIR": str(prefix / "runtime"), "IPYTHONDIR": str(prefix / "ipython")}
    log = open(prefix / "lab.log", "wb")
    # -o venv: use the environment this test runs in, never reinstall it
    proc = subprocess.Popen(["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "-o", "venv", "lab", f"PY={sys.executable}",
                             f"KERNEL_PREFIX={prefix}", f"LAB_ARGS={args}"],
                            cwd=checkout, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                _api(base, "/api/status")
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n" + (prefix / "lab.log").read_text(errors="replace")[-3000:])
                time.sleep(0.5)
        yield base, prefix, checkout
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_lab_lists_the_notebooks_with_the_tifa_kernel(lab):
    base, prefix, _ = lab
    assert (prefix / "share" / "jupyter" / "kernels" / "tifa" / "kernel.json").exists()
    specs = _api(base, "/api/kernelspecs")["kernelspecs"]
    assert "tifa" in specs, f"the server does not know the tifa kernel: {sorted(specs)}"
    assert specs["tifa"]["spec"]["argv"][0] == sys.executable
    listing = {item["name"]: item for item in _api(base, "/api/contents/notebooks")["content"]}
    expected = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.py"))
    assert expected and set(expected) <= set(listing), f"JupyterLab lists {sorted(listing)}"
    assert not [n for n in listing if n.endswith(".ipynb")], "a tracked .ipynb twin is back"
    for name in expected:
        model = _api(base, f"/api/contents/notebooks/{name}?type=notebook&content=1")
        assert model["type"] == "notebook", f"{name} does not open as a notebook"
        assert model["content"]["metadata"]["kernelspec"]["name"] == "tifa", name
    plugin = _api(base, "/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    # overrides.json sets the schema's default (the user's own settings, if any, would come on top)
    viewers = plugin["schema"]["properties"]["defaultViewers"]["default"]
    assert viewers.get("python") == "Jupytext Notebook", viewers


def _execute(ws, session: str, code: str) -> list[dict]:
    """Send one execute_request on the kernel's channels; return its iopub outputs and the reply."""
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session, "username": "test",
                                   "version": "5.3", "date": ""}, "parent_header": {}, "metadata": {}, "channel": "shell",
                        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                                    "allow_stdin": False, "stop_on_error": True}}))
    outputs, reply, idle = [], None, False
    while reply is None or not idle:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if msg["channel"] == "shell" and kind == "execute_reply":
            reply = msg["content"]
        elif kind in ("stream", "error", "execute_result", "display_data"):
            outputs.append({"type": kind, **msg["content"]})
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            idle = True
    return outputs + [{"type": "reply", **reply}]


def test_first_notebook_runs_in_the_tifa_kernel(lab):
    import jupytext

    base, _, checkout = lab
    first = sorted((checkout / "notebooks").glob("[0-9][0-9]_*.py"))[0]
    code = [c.source for c in jupytext.read(first).cells if c.cell_type == "code"][:N_CODE_CELLS]
    session = _api(base, "/api/sessions", "POST", {"path": f"notebooks/{first.name}", "name": first.name, "type": "notebook",
                                                   "kernel": {"name": "tifa"}})
    kernel = session["kernel"]
    assert kernel["name"] == "tifa"
    ws = websocket.create_connection(f"ws://127.0.0.1:{base.rsplit(':', 1)[1]}/api/kernels/{kernel['id']}/channels?token={TOKEN}",
                                     timeout=60, suppress_origin=True)
    try:
        ran = []
        for source in code + ["import sys, tifa; print(sys.executable); print(tifa.__file__)"]:
            result = _execute(ws, session["id"], source)
            errors = [o for o in result if o["type"] == "error" or (o["type"] == "reply" and o["status"] != "ok")]
            assert not errors, f"{first.name}: {source[:60]!r} failed: {errors}"
            ran.append(result)
        printed = "".join(o.get("text", "") for o in ran[-1] if o["type"] == "stream").split()
        assert Path(printed[0]) == Path(sys.executable)
        assert Path(printed[1]).resolve().is_relative_to((ROOT / "src").resolve())
    finally:
        ws.close()
        _api(base, f"/api/sessions/{session['id']}", "DELETE")


def _save(base: str, name: str, content: dict) -> None:
    _api(base, f"/api/contents/notebooks/{name}", "PUT", {"type": "notebook", "format": "json", "content": content})


def test_opening_and_saving_every_notebook_leaves_git_clean(lab):
    """JupyterLab's autosave after a run: the model carries language_info, execution counts, outputs and
    cell metadata; jupytext writes back only the kernelspec and the tags, so the .py is unchanged."""
    base, _, checkout = lab
    names = sorted(p.name for p in (checkout / "notebooks").glob("[0-9][0-9]_*.py"))
    for name in names:
        model = _api(base, f"/api/contents/notebooks/{name}?type=notebook&content=1")
        nb = model["content"]
        nb["metadata"]["language_info"] = {"name": "python", "version": sys.version.split()[0]}
        nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
        for k, cell in enumerate(nb["cells"]):
            cell.setdefault("metadata", {}).update({"collapsed": False, "execution": {"iopub.status.idle": "2026-01-01T00:00:00Z"}})
            if cell["cell_type"] == "code":
                cell["execution_count"] = k + 1
                cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "ran\n"}]
        _save(base, name, nb)
    status = _git(checkout, "status", "--porcelain", "--untracked-files=all")
    assert status == "", f"opening and saving changed the checkout:\n{status}\n{_git(checkout, 'diff')[:2000]}"


def test_an_edit_saved_in_lab_reaches_the_py_and_survives_a_checkout(lab):
    base, _, checkout = lab
    name = sorted(p.name for p in (checkout / "notebooks").glob("[0-9][0-9]_*.py"))[1]
    path = checkout / "notebooks" / name
    marker = f"edited-in-lab-{uuid.uuid4().hex[:8]}"
    model = _api(base, f"/api/contents/notebooks/{name}?type=notebook&content=1")
    cell = next(c for c in model["content"]["cells"] if c["cell_type"] == "code")
    cell["source"] += f"\n# {marker}"
    _save(base, name, model["content"])
    assert marker in path.read_text(encoding="utf-8")
    assert _git(checkout, "status", "--porcelain") == f" M notebooks/{name}\n"
    _git(checkout, "checkout", "--", f"notebooks/{name}")
    reopened = _api(base, f"/api/contents/notebooks/{name}?type=notebook&content=1")
    assert reopened["type"] == "notebook" and marker not in json.dumps(reopened["content"])
    assert _git(checkout, "status", "--porcelain", "--untracked-files=all") == ""
