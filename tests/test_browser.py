"""The report site in a real browser (headless Chromium over the DevTools protocol).

Every page is loaded at 1,400 px and at 390 px (a phone) and screenshotted into
reports/screenshots/. Asserted: no request leaves the machine or fails, no console
error or uncaught exception, no horizontal overflow, images decode and carry alt text,
figures never upscaled past their pixels and all at one scale (single- and double-column
figures show text at the same size, never below print size), notebook pages show no raw
`dtype:` or `NaN`, headings and code with Chinese are drawn with the embedded TifaCJK
font; in the concordance a filter narrows its rows, an English query finds rows and no
cell's content runs into the next column; every index finding links to evidence that
resolves (a filter that shows rows, a figure, a table); every relative link and #anchor resolves. Needs
Debian's chromium (`.ci/run` installs it); skipped with the reason elsewhere. TIFA_RENDERED=<folder> checks an existing render.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tifa.config import REPORTS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
try:
    import websocket  # websocket-client, a jupyter dependency
except ImportError:  # pragma: no cover
    websocket = None
pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium); browser check skipped"),
              pytest.mark.skipif(websocket is None, reason="websocket-client missing; browser check skipped")]

WIDTHS = (1400, 390)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
         "--remote-debugging-port=0"]


class Browser:
    """A minimal Chrome DevTools Protocol client: one headless Chromium, one tab, events kept per page load."""

    def __init__(self, profile: Path):
        self.proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.time() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.time() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        import urllib.request

        for _ in range(50):
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5))
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                break
            time.sleep(0.1)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Network", "Log", "DOM", "CSS"):
            self.send(f"{domain}.enable")

    def send(self, method: str, **params):
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(e["method"] == method for e in self.events):
                return
            self.ws.settimeout(max(0.1, deadline - time.time()))
            try:
                msg = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            if "method" in msg:
                self.events.append(msg)
        raise TimeoutError(method)

    def js(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def load(self, url: str, width: int):
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1, mobile=width < 500)
        self.events = []
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        self.js("document.fonts.ready.then(() => true)")

    def problems(self) -> dict[str, list[str]]:
        """Requests that left the machine or failed, console errors and uncaught exceptions since the last load."""
        out = {"remote": [], "failed": [], "console": []}
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Network.requestWillBeSent" and not p["request"]["url"].startswith(("file:", "data:", "about:")):
                out["remote"].append(p["request"]["url"])
            elif e["method"] == "Network.loadingFailed":
                out["failed"].append(f"{p.get('errorText')} {p.get('requestId')}")
            elif e["method"] == "Runtime.exceptionThrown":
                out["console"].append(p["exceptionDetails"].get("text", "") + " " + str(p["exceptionDetails"].get("exception", {}).get("description", "")))
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") == "error":
                out["console"].append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif e["method"] == "Log.entryAdded" and p["entry"].get("level") == "error":
                out["console"].append(p["entry"].get("text", ""))
        return out

    def fonts_of(self, selector: str) -> list[tuple[str, list[str]]]:
        """(text, font families actually used) for each element matching the selector."""
        root = self.send("DOM.getDocument", depth=0)["root"]["nodeId"]
        out = []
        for node in self.send("DOM.querySelectorAll", nodeId=root, selector=selector)["nodeIds"][:40]:
            fonts = self.send("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]
            text = self.send("DOM.getOuterHTML", nodeId=node)["outerHTML"]
            out.append((text[:120], [f["familyName"] for f in fonts]))
        return out

    def screenshot(self, path: Path, max_height: int = 8000):
        height = min(int(self.js("document.documentElement.scrollHeight")), max_height)
        width = int(self.js("window.innerWidth"))
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=width < 500)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Reports rendered from a fresh build (so the test does not depend on `make report`)."""
    if os.environ.get("TIFA_RENDERED"):
        return Path(os.environ["TIFA_RENDERED"])
    from tifa.config import DATA_RAW
    from tifa.outputs.figures import make_all
    from tifa.outputs.notebooks import execute_all
    from tifa.outputs.report import write_report
    from tifa.pipeline import build

    root = tmp_path_factory.mktemp("site")
    processed, figures, out = root / "processed", root / "figures", root / "reports"
    build(DATA_RAW, processed, progress=False)
    make_all(processed, figures)   # figures and reports beside the build: root/figures, root/reports
    execute_all(processed, out)
    write_report(processed, out)
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
BROKEN_IMAGES = "[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt || i.src.slice(0, 40))"
ROWS = "[...document.querySelectorAll('#concordance tbody tr')].filter(r => !r.hidden).length"
# the fixed sidebar must not cover the first heading (it did on notebook pages: width without box-sizing)
COVERED = ("(() => { const n = document.querySelector('nav.site'), h = document.querySelector('h1');"
           " if (!n || !h || getComputedStyle(n).position !== 'fixed') return 0;"
           " return Math.max(0, n.getBoundingClientRect().right - h.getBoundingClientRect().left); })()")


# an image shown wider than its pixels (upscaled), or without alt text
STRETCHED = ("[...document.images].filter(i => i.getBoundingClientRect().width > i.naturalWidth + 1 || !i.alt)"
             ".map(i => (i.alt || i.src).slice(0, 60))")
# every figure of a page at one scale (rendered width over print width) and never below print size where the
# column has room: single- and double-column figures then show text at the same size
SCALES = ("[...document.querySelectorAll('img[data-mm]')].map(i => [i.getBoundingClientRect().width / (+i.dataset.mm * 96 / 25.4),"
          " i.parentElement.getBoundingClientRect().width >= 183 * 96 / 25.4 - 1])")
RAW_PANDAS = "(() => { const t = document.body.innerText; return [/dtype:/.test(t), /\\bNaN\\b/.test(t)]; })()"
# a cell whose content runs past the left edge of the next cell (clipped content does not count)
OVERLAP = """(() => { let bad = [];
 for (const row of document.querySelectorAll('#concordance tbody tr:not([hidden])')) {
   const cells = [...row.cells];
   for (let i = 0; i + 1 < cells.length; i++) {
     const edge = cells[i + 1].getBoundingClientRect().left;
     for (const el of cells[i].querySelectorAll('*')) {
       const r = el.getBoundingClientRect(); let right = r.right;
       for (let p = el.parentElement; p && p !== cells[i]; p = p.parentElement)
         if (getComputedStyle(p).overflowX !== 'visible') right = Math.min(right, p.getBoundingClientRect().right);
       if (r.width && right > edge + 0.5) { bad.push(cells[i].textContent.slice(0, 20)); break; } } } }
 return bad; })()"""


def test_every_page_renders_offline_without_overflow(rendered, browser):
    shots = Path(os.environ.get("TIFA_SCREENSHOTS", REPORTS / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    pages = sorted(rendered.glob("*.html"))
    names = {p.name for p in pages}
    n_nav = len([n for n in names if not n.startswith("doc-")])  # every page but the per-document ones is in the navigation
    assert {"index.html", "figures.html", "tables.html", "concordance.html", "documents.html", "methods.html",
            "data_dictionary.html"} <= names
    assert any(n.startswith("doc-") for n in names)
    failures = []
    for page in pages:
        for width in WIDTHS:
            browser.load(page.as_uri(), width)
            found = browser.problems()
            overflow = browser.js(OVERFLOW)
            covered = browser.js(COVERED)
            broken = browser.js(BROKEN_IMAGES)
            stretched, scales = browser.js(STRETCHED), browser.js(SCALES)
            roomy = [k for k, room in scales if room]  # figures whose column holds a double-column figure at print size
            uneven = roomy and (max(roomy) / min(roomy) > 1.03 or min(roomy) < 0.99)
            raw_pandas = browser.js(RAW_PANDAS) if page.name[:2].isdigit() else [False, False]
            nav = browser.js("document.querySelectorAll('nav.site a').length")
            title = browser.js("document.title")
            viewport = browser.js("!!document.querySelector('meta[name=viewport]')")
            browser.screenshot(shots / f"{page.stem}-{width}.png")
            bad = {k: v for k, v in found.items() if v}
            if overflow > 0:
                bad["overflow_px"] = overflow
            if covered > 0:
                bad["heading_under_sidebar_px"] = covered
            if broken:
                bad["broken_images"] = broken
            if stretched:
                bad["images_upscaled_or_without_alt"] = stretched
            if uneven:
                bad["figures_not_at_one_scale"] = [round(k, 2) for k in roomy]
            if any(raw_pandas):
                bad["raw_pandas_output"] = dict(zip(("dtype:", "NaN"), raw_pandas))
            if nav != n_nav or not viewport or not title or title.startswith("Notebook"):
                bad["page"] = {"nav_links": nav, "viewport": viewport, "title": title}
            if bad:
                failures.append(f"{page.name} @ {width}px: {bad}")
    assert not failures, "\n".join(failures)


def test_headings_and_code_use_the_embedded_font(rendered, browser):
    """Chinese and the full-width ＊ in headings, code and the legend are drawn with TifaCJK, not a fallback box."""
    checked = 0
    for name in ("methods.html", "index.html", sorted(p.name for p in rendered.glob("doc-*.html"))[0],
                 *sorted(p.name for p in rendered.glob("[0-9][0-9]_*.html"))[:1]):
        browser.load((rendered / name).as_uri(), 1400)
        for text, fonts in browser.fonts_of("h1, h2, h3, code, .legend .mask"):
            if any("\u4e00" <= c <= "\u9fff" or c == "＊" for c in text):
                checked += 1
                assert "TifaCJK" in fonts, f"{name}: {text!r} drawn with {fonts}"
    assert checked > 0


def test_concordance_filter_narrows_rows(rendered, browser):
    browser.load((rendered / "concordance.html").as_uri(), 1400)
    total = browser.js(ROWS)
    assert total > 0
    option = browser.js("document.querySelector(\"select[name=formulation] option[value]:not([value=''])\").value")
    narrowed = browser.js(f"""(() => {{ const s = document.querySelector('select[name=formulation]'); s.value = {json.dumps(option)};
        s.dispatchEvent(new Event('input', {{bubbles: true}})); return {ROWS}; }})()""")
    assert 0 < narrowed < total
    assert browser.js("document.querySelector('form.filters .count').textContent") == f"{narrowed} of {total} rows"
    # a hit links into the document viewer, where the anchor exists
    href = browser.js("document.querySelector('#concordance tbody tr:not([hidden]) a').getAttribute('href')")
    page, anchor = href.split("#")
    browser.load((rendered / page).as_uri() + "#" + anchor, 390)
    assert browser.js(f"!!document.getElementById({json.dumps(anchor)})")
    assert browser.problems() == {"remote": [], "failed": [], "console": []}


def test_concordance_columns_never_overlap_and_english_finds_rows(rendered, browser):
    for width in WIDTHS:
        browser.load((rendered / "concordance.html").as_uri(), width)
        total = browser.js(ROWS)
        overlapping = browser.js(OVERLAP)
        assert not overlapping, f"{len(overlapping)} of {total} rows overlap at {width}px, e.g. {overlapping[:3]}"
        found = browser.js(f"""(() => {{ const q = document.querySelector('form.filters input[type=search]'); q.value = 'quality';
            q.dispatchEvent(new Event('input', {{bubbles: true}})); return {ROWS}; }})()""")
        assert 0 < found < total, f"'quality' finds {found} of {total} rows"
        assert browser.js("document.querySelector('form.filters .count').textContent") == f"{found} of {total} rows"
        # what it found is a formulation glossed with the word, not only rows that happen to contain Latin text
        assert browser.js("[...document.querySelectorAll('#concordance tbody tr:not([hidden])')].every(r => "
                          "(r.textContent + ' ' + (r.dataset.search || '')).toLowerCase().includes('quality'))")


def test_every_index_finding_links_to_evidence_that_resolves(rendered, browser):
    """Each finding on the index has links; each link opens a page where its evidence is: the anchor exists,
    and a filtered table or concordance shows at least one row."""
    from urllib.parse import urlsplit

    from bs4 import BeautifulSoup

    browser.load((rendered / "index.html").as_uri(), 1400)
    findings = browser.js("[...document.querySelectorAll('ul.findings > li')].map(li => "
                          "[li.textContent.slice(0, 60), [...li.querySelectorAll('a')].map(a => a.getAttribute('href'))])")
    assert len(findings) >= 10
    unlinked = [text for text, links in findings if not links and not text.startswith("(")]  # "(x: not reported …)"
    assert not unlinked, unlinked
    bad = []
    for href in sorted({h for _, links in findings for h in links}):
        url = urlsplit(href)
        target = rendered / url.path
        if not target.exists():
            bad.append(f"{href}: no such page")
            continue
        ids = {tag["id"] for tag in BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").find_all(id=True)}
        if url.fragment and url.fragment not in ids:
            bad.append(f"{href}: no element #{url.fragment}")
        if url.query:  # a filter: load the page with it, as a reader's click does
            browser.load(target.as_uri() + f"?{url.query}", 1400)
            table = "concordance" if url.path == "concordance.html" else "t-" + url.fragment.removeprefix("browse-")
            shown = browser.js(f"[...document.querySelectorAll('#{table} tbody tr')].filter(r => !r.hidden).length")
            if not shown:
                bad.append(f"{href}: the filter shows no row")
    assert not bad, "\n".join(bad)


def test_every_link_resolves(rendered):
    """Every relative link of every page points at a file that exists (figures, CSV, .tex, the workbook, pages),
    and every #anchor at an id of its page; no link leaves the machine."""
    from urllib.parse import unquote, urlsplit

    from bs4 import BeautifulSoup

    pages = {p.name: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in sorted(rendered.glob("*.html"))}
    ids = {name: {tag["id"] for tag in soup.find_all(id=True)} for name, soup in pages.items()}
    bad, checked = [], 0
    for name, soup in pages.items():
        for a in soup.find_all("a", href=True):
            url = urlsplit(a["href"])
            if url.scheme in ("http", "https") or a["href"].startswith("//"):
                bad.append(f"{name}: remote link {a['href']}")
                continue
            if url.scheme:  # mailto: and the like
                continue
            checked += 1
            target = rendered / unquote(url.path) if url.path else rendered / name
            if not target.exists():
                bad.append(f"{name}: {a['href']} does not exist")
            elif url.fragment and target.suffix == ".html" and target.name in ids \
                    and not {url.fragment, unquote(url.fragment)} & ids[target.name]:  # as browsers match: raw, then decoded
                bad.append(f"{name}: no id {url.fragment!r} in {target.name}")
    assert checked > 0
    assert not bad, "\n".join(bad[:20])
