"""The offline HTML site: index, notebook pages, figures, tables, concordance, document viewer.

Pages are Jinja2 templates (templates/, package data) rendered with autoescape: every value a
page shows, attribute or text, ids included, is escaped by the template engine; no page builds
HTML by string concatenation. Document ids map to file names that are always safe and short.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from tifa.config import DOCS, LEVELS, MASK_CHARS
from tifa.outputs.figures import CATALOGUE, img_style, print_mm
from tifa.outputs.report.common import CONTEXT, WORKBOOK, glosses, num, ordered_docs, p_text
from tifa.outputs.report.findings import linked_findings
from tifa.outputs.webfont import embed
from tifa.stages.stats import doc_order


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The site's template environment: autoescape on for every template."""
    env = Environment(loader=PackageLoader("tifa.outputs.report", "templates"), autoescape=True,
                      keep_trailing_newline=True)
    env.globals["zip"] = zip
    # the style sheet and script are the package's own static files, inlined as they are (CSS has `{#`)
    for name in ("site.css", "filter.js"):
        env.globals[name.replace(".", "_")] = Markup(env.loader.get_source(env, name)[0])
    return env


def render(template: str, **values) -> str:
    return environment().get_template(template).render(**values)


@dataclass
class Page:
    file: str
    title: str


def _neighbours(pages: list[Page], file: str) -> tuple[Page | None, Page | None]:
    i = [p.file for p in pages].index(file)
    return (pages[i - 1] if i > 0 else None), (pages[i + 1] if i + 1 < len(pages) else None)


def _rel(target: Path, out_dir: Path) -> str:
    return Path(os.path.relpath(target.resolve(), out_dir.resolve())).as_posix()


def _link(target: Path, out_dir: Path, label: str | None = None) -> dict:
    """A relative link; the label is cut after _ and before . so a file name can break there on a phone."""
    text = label or target.name
    return {"href": _rel(target, out_dir), "pieces": re.split(r"(?<=_)|(?=\.)", text)}


def _doc_file(doc_id: str) -> str:
    """The viewer page of a document: letters, digits, _ and - only, at most about 100 characters; an id that
    had to be changed gets a hash of the original, so two ids never share a page."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", str(doc_id))
    if safe != doc_id or len(safe) > 80:
        safe = f"{safe[:80]}-{hashlib.sha256(str(doc_id).encode('utf-8')).hexdigest()[:10]}"
    return f"doc-{safe}.html"


def _texts(processed: Path, doc_ids) -> dict[str, str]:
    """Normalised texts; a doc_id that would lead outside normalized/ is never read."""
    folder = (processed / "normalized").resolve()
    texts = {}
    for d in doc_ids:
        path = (folder / f"{d}.txt").resolve()
        if path.parent == folder and path.exists():
            texts[d] = path.read_text(encoding="utf-8")
    return texts


def _flat(s: str) -> str:
    return s.replace("\n", " ⏎ ")


def _cell(v) -> str:
    return "" if v is None or (not isinstance(v, (list, dict)) and pd.isna(v)) else str(v)


# -------------------------------------------------------------- page bodies
def _corpus_table(docs: pd.DataFrame) -> dict:
    columns = ["Document", "Level", "Genre", "Year", "Region", "Characters", "Sentences", "Masked characters"]
    rows = [[{"text": d.doc_id, "href": _doc_file(d.doc_id)}, _cell(d.level), _cell(d.genre).replace("_", " "), _cell(d.year),
             _cell(d.region), f"{d.n_chars:,}", f"{d.n_sentences:,}", f"{d.n_masked_chars:,}"]
            for d in docs.itertuples(index=False)]
    return {"columns": columns, "numeric": columns[5:], "rows": rows}


def _index(t) -> dict:
    values = {"corpus": _corpus_table(ordered_docs(t)), "findings": linked_findings(t), "models": None,
              "workbook": WORKBOOK}
    if "model_estimates" in t:
        est = t["model_estimates"]
        notes = sorted({n for n in est.get("note", pd.Series(dtype=str)).dropna().astype(str) if n})
        columns = ["model", "covariates", "term", "rate_ratio", "ci_low", "ci_high", "p_value"]
        shown = est[[c for c in columns if c in est.columns]].copy()
        if "p_value" in shown:
            shown["p_value"] = shown["p_value"].map(p_text)
        for c in ("rate_ratio", "ci_low", "ci_high"):
            if c in shown:
                shown[c] = shown[c].map(lambda v: "–" if pd.isna(v) else f"{v:.2f}")
        values["models"] = {"notes": notes, "table": {"columns": list(shown.columns), "numeric": columns[3:],
                                                      "rows": [[_cell(v) for v in r] for r in shown.itertuples(index=False)]}}
    return values


def _figures(figures_dir: Path, out_dir: Path, processed: Path) -> dict:
    shown = []
    for spec, _ in CATALOGUE:
        png = figures_dir / f"{spec.name}.png"
        if not png.exists():
            shown.append({"missing": f"{spec.name}: not drawn in {figures_dir} (run python -m tifa figures)."})
            continue
        links = [_link(figures_dir / f"{spec.name}.{ext}", out_dir, ext.upper())
                 for ext in ("pdf", "svg", "png", "csv") if (figures_dir / f"{spec.name}.{ext}").exists()]
        shown.append({"name": spec.name, "width": spec.width, "caption": spec.caption, "alt": spec.caption,
                      "src": "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii"),
                      "mm": print_mm(png), "style": img_style(print_mm(png)), "links": links, "notebook": spec.notebook,
                      "source": _link(processed / f"{spec.table}.csv", out_dir, f"{spec.table}.csv")})
    return {"folder": _rel(figures_dir, out_dir), "figures": shown if any("name" in f for f in shown) else [],
            "none_found": f"No figures found in {figures_dir}."}


BROWSE = {  # table: (columns shown, columns offered as filters)
    "documents": (["doc_id", "level", "genre", "year", "region", "title", "n_chars", "n_masked_chars"], ["level", "genre"]),
    "priorities": (["doc_id", "item_id", "section_path", "title", "domain", "lead_units", "n_targets"], ["doc_id", "domain"]),
    "targets": (["doc_id", "item_id", "text", "comparator", "value", "unit", "masked", "reason"], ["doc_id", "unit"]),
    "achievements": (["doc_id", "year", "kind", "domain", "indicator", "value", "unit", "masked", "claim"], ["doc_id", "kind", "domain"]),
    "attributions": (["doc_id", "sent_id", "authority", "authority_level", "cue", "text"], ["doc_id", "authority_level"]),
    "formulation_candidates": (["candidate", "kind", "n_docs", "n_occurrences", "levels", "in_lexicon", "local_coinage_candidate"],
                               ["kind", "levels"]),
    "central_reuse": (["passage_id", "doc_id", "local_text", "source_doc_id", "n_sources", "n_background", "formulaic",
                       "source_identified", "time_order"], ["doc_id", "formulaic", "source_identified", "time_order"]),
}


def _browse_table(name: str, df: pd.DataFrame, columns: list[str], filters: list[str]) -> dict:
    columns = [c for c in columns if c in df.columns]
    filters = [c for c in filters if c in df.columns]
    rows = []
    for values in df[columns].to_dict("records"):
        cells = [{"text": _cell(values[c]), "href": _doc_file(values[c]) if c == "doc_id" else None} for c in columns]
        rows.append({"data": {c: _cell(values[c]) for c in filters}, "search": "", "cells": cells})
    selects = {c: [(str(v), str(v)) for v in sorted(df[c].dropna().astype(str).unique())] for c in filters}
    return {"id": f"t-{name}", "header": columns, "rows": rows, "selects": selects, "placeholder": "text in any column"}


def _tables(t, processed: Path, out_dir: Path, tex: list[Path]) -> dict:
    from tifa.schemas import TABLES

    tex_names = {p.stem: p for p in tex}
    names = [n for n in TABLES if n in t] + sorted(n for n in t if n not in TABLES and not n.startswith("_"))
    listing = [{"name": n, "link": _link(processed / f"{n}.csv", out_dir, f"{n}.csv"), "rows": f"{len(t[n]):,}",
                "description": TABLES[n].description if n in TABLES else "", "browse": n in BROWSE} for n in names]
    browse = []
    for name, (columns, filters) in BROWSE.items():
        if name not in t:
            browse.append({"name": name, "missing": f"{name}.csv is absent from this build."})
            continue
        browse.append({"name": name, "missing": "", "table": _browse_table(name, t[name], columns, filters),
                       "tex": _link(tex_names[name], out_dir) if name in tex_names else None})
    return {"tables": listing, "tex": [_link(p, out_dir, p.name) for p in tex], "browse": browse, "workbook": WORKBOOK}


def _concordance_rows(t, texts) -> tuple[list, list[str]]:
    """(rows, notes): formulation hits and central-reuse passages with their left and right context."""
    docs = t["documents"].set_index("doc_id")
    level = docs["level"].to_dict()
    notes, rows = [], []

    def context(doc_id, start, end):
        text = texts.get(doc_id)
        if text is None:
            return "", "", ""
        return _flat(text[max(0, start - CONTEXT):start]), _flat(text[start:end]), _flat(text[end:end + CONTEXT])

    if "frame_hits" in t:
        for h in t["frame_hits"].itertuples(index=False):
            left, kw, right = context(h.doc_id, int(h.start), int(h.end))
            credited = getattr(h, "attributed_to", None)
            rows.append(dict(doc_id=h.doc_id, level=level.get(h.doc_id, ""), match=h.match, formulation=h.formulation_id,
                             start=int(h.start), left=left, kw=kw or h.surface, right=right,
                             about=(f"attributed to {credited}" if isinstance(credited, str) and credited else "")))
    else:
        notes.append("frame_hits.csv is absent from this build: no formulation hits to list.")
    if "central_reuse" in t:
        for r in t["central_reuse"].itertuples(index=False):
            left, kw, right = context(r.doc_id, int(r.start), int(r.end))
            rows.append(dict(doc_id=r.doc_id, level=level.get(r.doc_id, ""), match="central reuse", formulation="(central reuse)",
                             start=int(r.start), left=left, kw=kw or r.local_text, right=right,
                             about=f"from {r.source_doc_id} ({r.n_chars} characters, similarity {num(r.similarity)})",
                             source=_flat(str(r.source_text))))
    else:
        notes.append("central_reuse.csv is absent from this build (it needs central reference texts): no reuse passages to list.")
    missing = sorted({r["doc_id"] for r in rows} - set(texts))
    if missing:
        notes.append(f"Normalised text is absent for {', '.join(missing)}: no context shown for their rows.")
    return rows, notes


def _concordance(t, texts, gloss: dict[str, str]) -> dict:
    rows, notes = _concordance_rows(t, texts)
    if not rows:
        return {"notes": notes, "table": None}
    canon = {f: g.split(" (")[0] for f, g in gloss.items()}
    english = {f: g[len(canon[f]):].strip(" ()") for f, g in gloss.items()}
    order = {d: i for i, d in enumerate(doc_order(t["documents"]))}
    rows.sort(key=lambda r: (order.get(r["doc_id"], len(order)), r["start"], r["formulation"]))
    table_rows = []
    for r in rows:
        f = r["formulation"]
        viewer = f"{_doc_file(r['doc_id'])}#h-{r['start']}"
        cells = [{"cls": "left", "wrap": True, "text": r["left"]},
                 {"cls": "kw long" if len(r["kw"]) > 12 else "kw", "href": viewer, "mark": True, "text": r["kw"]},
                 {"cls": "right", "wrap": True, "text": r["right"]},
                 {"cls": "form", "title": gloss.get(f, ""), "text": canon.get(f, f),
                  "small": " · ".join(x for x in (english.get(f, ""), r["match"]) if x)},
                 {"href": viewer, "text": r["doc_id"], "small": r["level"]},
                 {"cls": "source", "text": r["about"], "details": r.get("source", "")}]
        table_rows.append({"data": dict(formulation=f, doc=r["doc_id"], level=r["level"], match=r["match"]),
                           "search": f"{f} {f.replace('_', ' ')} {english.get(f, '')}", "cells": cells})
    present = lambda key: sorted({row["data"][key] for row in table_rows})  # noqa: E731
    selects = {"formulation": [(f, gloss.get(f, f)) for f in sorted(present("formulation"), key=lambda f: gloss.get(f, f))],
               "doc": [(d, d) for d in sorted(present("doc"), key=lambda d: order.get(d, len(order)))],
               "level": [(lv, lv) for lv in LEVELS if lv in present("level")],
               "match": [(m, m) for m in present("match")]}
    return {"notes": notes, "table": {"id": "concordance", "header": ["left", "hit", "right", "formulation, match", "document, level", "note"],
                                      "rows": table_rows, "selects": selects,
                                      "placeholder": "Chinese or English, e.g. 质量 or quality"}}


def _marked_text(text: str, spans: list[tuple[int, int, str, str, str]]) -> list[list[dict]]:
    """The text as paragraphs of pieces, each with the classes and titles of every span over it and the anchors
    that start there. spans: (start, end, css class, title, anchor id); they may overlap, so the text is cut at
    every boundary."""
    cuts = {0, len(text)}
    anchors: dict[int, list[str]] = {}
    for start, end, _, _, anchor in spans:
        cuts.update((start, end))
        if anchor:
            anchors.setdefault(start, []).append(anchor)
    cuts.update(i for i, c in enumerate(text) if c == "\n")
    cuts.update(i + 1 for i, c in enumerate(text) if c == "\n")
    cuts = sorted(c for c in cuts if 0 <= c <= len(text))
    starts: dict[int, list[int]] = {}
    for k, (start, _, _, _, _) in enumerate(spans):
        starts.setdefault(start, []).append(k)
    active: set[int] = set()
    paragraphs: list[list[dict]] = [[]]
    for a, b in zip(cuts, cuts[1:]):
        active |= set(starts.get(a, []))
        active = {k for k in active if spans[k][1] > a}
        piece = text[a:b]
        here = list(dict.fromkeys(anchors.get(a, [])))
        if piece == "\n":
            if here:
                paragraphs[-1].append({"anchors": here, "text": "", "classes": "", "title": ""})
            paragraphs.append([])
            continue
        ks = sorted(active)
        paragraphs[-1].append({"anchors": here, "text": piece, "classes": " ".join(sorted({spans[k][2] for k in ks})),
                               "title": "; ".join(dict.fromkeys(spans[k][3] for k in ks if spans[k][3]))})
    return [p for p in paragraphs if p]


def _document(doc: pd.Series, t, text: str | None, gloss) -> dict:
    d = doc["doc_id"]
    pick = lambda name: t[name][t[name]["doc_id"] == d] if name in t else None  # noqa: E731
    outline, pri, hits, attr, sents, reuse = (pick(n) for n in ("outline", "priorities", "frame_hits", "attributions", "sentences", "central_reuse"))
    labels = {"title": "Title", "level": "Level", "genre": "Genre", "year": "Year", "date": "Date", "date_low": "Earliest date",
              "date_high": "Latest date", "region": "Region", "issuer": "Issuer",
              "n_chars": "Characters", "n_sentences": "Sentences", "n_masked_chars": "Masked characters"}
    value = lambda k: f"{doc[k]:,}" if k.startswith("n_") and pd.api.types.is_number(doc[k]) else _cell(doc[k]).replace("_", " ")  # noqa: E731
    page = {"doc_id": d, "meta": [(label, value(k)) for k, label in labels.items() if k in doc and _cell(doc[k])], "notes": []}
    spans: list[tuple[int, int, str, str, str]] = []
    if outline is None:
        page["outline"] = "outline.csv is absent from this build."
    elif outline.empty:
        page["outline"] = "No outline was recovered for this document."
    else:
        page["outline"] = []
        for o in outline.itertuples(index=False):
            heading = f"{o.marker}{o.heading if isinstance(o.heading, str) else ''}"
            page["outline"].append({"indent": (int(o.depth) - 1) * 1.2, "anchor": f"n-{o.node_id}", "heading": heading})
            spans.append((int(o.start), int(o.start) + len(heading), "head", f"outline {o.node_id}", f"n-{o.node_id}"))
    if pri is None:
        page["priorities"] = "priorities.csv is absent from this build."
    elif pri.empty:
        page["priorities"] = "No priority items in this document."
    else:
        page["priorities"] = [{"anchor": f"p-{p.item_id}", "title": _cell(p.title), "domain": _cell(p.domain)} for p in pri.itertuples(index=False)]
        spans += [(int(p.start), int(p.end), "pri", f"priority {p.item_id}: {p.domain}", f"p-{p.item_id}") for p in pri.itertuples(index=False)]
    if hits is None:
        page["notes"].append("frame_hits.csv is absent from this build: no formulation hits marked.")
    else:
        spans += [(int(h.start), int(h.end), "hit", f"{gloss.get(h.formulation_id, h.formulation_id)} [{h.match}]", f"h-{int(h.start)}")
                  for h in hits.itertuples(index=False)]
    if attr is None or sents is None:
        page["attributions"] = "attributions.csv or sentences.csv is absent from this build."
    elif attr.empty:
        page["attributions"] = "No sentence in this document attributes a line to an authority."
    else:
        bounds = sents.set_index("sent_id")[["start", "end"]]
        page["attributions"] = []
        for a in attr.itertuples(index=False):
            if a.sent_id not in bounds.index or text is None:
                continue
            s0, s1 = (int(x) for x in bounds.loc[a.sent_id])
            at = text.find(str(a.authority_surface), s0, s1)
            if at >= 0:
                about = f"{a.authority_level}, {a.cue}"
                spans.append((at, at + len(str(a.authority_surface)), "auth", f"{a.authority} ({about})", f"a-{a.sent_id}-{at}"))
                page["attributions"].append({"anchor": f"a-{a.sent_id}-{at}", "authority": _cell(a.authority), "about": about})
    if reuse is not None:
        spans += [(int(r.start), int(r.end), "reuse", f"shared with {r.source_doc_id}", f"h-{int(r.start)}") for r in reuse.itertuples(index=False)]
    if text is None:
        page["text"] = f"normalized/{d}.txt is absent from this build: the text cannot be shown."
    else:
        spans += [(m.start(), m.end(), "mask", "masked in the source", "") for m in re.finditer(f"[{re.escape(MASK_CHARS)}]+", text)]
        page["text"] = _marked_text(text, [s for s in spans if 0 <= s[0] < s[1] <= len(text)])
    return page


def _documents(docs: pd.DataFrame) -> dict:
    rows = [[{"text": d.doc_id, "href": _doc_file(d.doc_id)}, _cell(d.level), _cell(d.genre), _cell(d.year), _cell(d.title)]
            for d in docs.itertuples(index=False)]
    return {"docs": {"columns": ["document", "level", "genre", "year", "title"], "numeric": [], "rows": rows}}


def _markdown(text: str) -> dict:
    """Markdown (CommonMark + tables, raw HTML off: it is shown as text) to HTML, with an id on every heading."""
    import html

    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)

    def anchor(m):
        plain = re.sub(r"<[^>]+>", "", m.group(3))
        slug = re.sub(r"[^\w]+", "-", html.unescape(plain).strip().lower()).strip("-")
        return f'<h{m.group(1)}{m.group(2)} id="{html.escape(slug)}">{m.group(3)}</h{m.group(1)}>'

    body = re.sub(r"<h([1-6])([^>]*)>(.*?)</h\1>", anchor, body)
    body = body.replace("<table>", '<div class="scroll"><table>').replace("</table>", "</table></div>")
    return {"content": Markup(body)}  # markdown-it escaped every character of the source


def _decorate_notebook(path: Path, nav: str, pager: str, title: str) -> None:
    """Give a rendered notebook the site's navigation, pager and title, and keep it offline."""
    from bs4 import BeautifulSoup

    from tifa.outputs.notebooks import offline

    soup = BeautifulSoup(offline(path.read_text(encoding="utf-8"), title), "html.parser")
    for old in soup.select("nav.site, nav.pager, style#tifa-site"):
        old.decompose()
    style = soup.new_tag("style", id="tifa-site")
    style.string = environment().loader.get_source(environment(), "notebook.css")[0]
    soup.head.append(style)
    soup.body.insert(0, BeautifulSoup(nav, "html.parser"))
    soup.body.append(BeautifulSoup(pager, "html.parser"))
    path.write_text(embed(str(soup)), encoding="utf-8")


def write_site(t: dict[str, pd.DataFrame], processed: Path, figures_dir: Path, out_dir: Path,
               tex: list[Path]) -> list[Path]:
    """Write every page of the site into out_dir; return their paths in navigation order."""
    from bs4 import BeautifulSoup

    from tifa.schemas import dictionary_markdown

    gloss = glosses(t)
    docs = ordered_docs(t)
    texts = _texts(processed, docs["doc_id"])
    nb_titles = {}
    for nb in sorted(out_dir.glob("[0-9][0-9]_*.html")):
        found = BeautifulSoup(nb.read_text(encoding="utf-8"), "html.parser").title
        nb_titles[nb.name] = found.get_text().strip() if found and found.get_text().strip() else nb.stem
    pages = [Page("index.html", "Overview"), *[Page(n, nb_titles[n]) for n in nb_titles],
             Page("figures.html", "Figures"), Page("tables.html", "Tables"), Page("concordance.html", "Concordance (KWIC)"),
             Page("documents.html", "Documents"), Page("methods.html", "Methods"), Page("data_dictionary.html", "Data dictionary")]
    methods = DOCS / "methods.md"
    bodies = {
        "index.html": ("index.html", lambda: _index(t)),
        "figures.html": ("figures.html", lambda: _figures(figures_dir, out_dir, processed)),
        "tables.html": ("tables.html", lambda: _tables(t, processed, out_dir, tex)),
        "concordance.html": ("concordance.html", lambda: _concordance(t, texts, gloss)),
        "documents.html": ("documents.html", lambda: _documents(docs)),
        "methods.html": ("markdown.html", lambda: _markdown(methods.read_text(encoding="utf-8") if methods.exists()
                                                            else "docs/methods.md is absent.")),
        "data_dictionary.html": ("markdown.html", lambda: _markdown(dictionary_markdown())),
    }
    written = []
    for page in pages:
        prev, nxt = _neighbours(pages, page.file)
        frame = {"pages": pages, "current": page.file, "section": None, "prev": prev, "next": nxt, "title": page.title}
        path = out_dir / page.file
        if page.file in nb_titles:
            _decorate_notebook(path, render("nav.html", **frame), render("pager.html", **frame), page.title)
        else:
            template, values = bodies[page.file]
            path.write_text(embed(render(template, **frame, **values())), encoding="utf-8")
        written.append(path)
    doc_pages = [Page(_doc_file(d), d) for d in docs["doc_id"]]
    for i, (page, doc) in enumerate(zip(doc_pages, docs.itertuples(index=False))):
        prev = doc_pages[i - 1] if i > 0 else Page("documents.html", "Documents")
        nxt = doc_pages[i + 1] if i + 1 < len(doc_pages) else None
        frame = {"pages": pages, "current": page.file, "section": "documents.html", "prev": prev, "next": nxt, "title": doc.doc_id}
        values = _document(pd.Series(doc._asdict()), t, texts.get(doc.doc_id), gloss)
        path = out_dir / page.file
        path.write_text(embed(render("document.html", **frame, **values)), encoding="utf-8")
        written.append(path)
    return written
