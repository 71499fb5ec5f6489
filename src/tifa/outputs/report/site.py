"""The offline HTML site: index, notebook pages, figures, tables, concordance, document viewer."""

from __future__ import annotations

import base64
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tifa.config import DOCS, LEVELS, MASK_CHARS
from tifa.outputs.figures import CATALOGUE
from tifa.outputs.report.common import CONTEXT, WORKBOOK, glosses, num, ordered_docs, p_text
from tifa.outputs.report.findings import findings
from tifa.outputs.webfont import embed
from tifa.stages.stats import doc_order

# ---------------------------------------------------------------------- HTML
STYLE = """
*{box-sizing:border-box}
body{margin:0;line-height:1.55;color:#222;background:#fff}
main.page{max-width:64rem;margin:0 auto;padding:1rem 1.25rem 3rem;overflow-wrap:break-word}
nav.site{background:#f4f5f7;border-bottom:1px solid #ddd;padding:.5rem 1rem;font-size:.95rem}
nav.site .brand{font-weight:bold;margin-right:.5rem}
nav.site ol{list-style:none;margin:.25rem 0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .9rem}
nav.site a{color:#0b4f8a;text-decoration:none} nav.site a[aria-current]{font-weight:bold;color:#000}
nav.pager{display:flex;justify-content:space-between;gap:1rem;border-top:1px solid #ddd;margin-top:2rem;padding-top:.75rem}
@media (min-width:70rem){
 nav.site{position:fixed;top:0;left:0;bottom:0;width:14rem;border-right:1px solid #ddd;border-bottom:0;overflow-y:auto}
 nav.site ol{display:block} nav.site li{margin:.35rem 0}
 body{padding-left:14rem}
}
h1{font-size:1.6rem;line-height:1.25} h2{margin-top:2rem}
a{color:#0b4f8a;overflow-wrap:anywhere}
figure{margin:2rem 0} img{max-width:100%;height:auto}
figure.single img{max-width:min(100%,30rem)} figcaption{font-size:.9rem;color:#444}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.85rem} td,th{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#fafafa}
code{background:#f4f4f4;padding:0 .2rem;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere}
.note{background:#fff6e0;border-left:4px solid #e0a000;padding:.5rem .75rem}
.absent{color:#8a4b00}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0;font-size:.9rem}
form.filters label{max-width:100%;min-width:0}
form.filters input,form.filters select{font-size:.9rem;max-width:min(100%,80vw)}
td.left{text-align:right;white-space:nowrap;color:#555} td.right{white-space:nowrap;color:#555} td.kw{white-space:nowrap;font-weight:bold}
.doctext p{margin:.4rem 0}
.hit{background:#ffe08a} .pri{background:#eaf3ff} .mask{background:#444;color:#fff} .head{font-weight:bold}
.auth{text-decoration:underline wavy #c0392b} .reuse{box-shadow:inset 0 -3px #3a9a4a}
.legend span{padding:0 .3rem;margin-right:.5rem;display:inline-block;white-space:nowrap}
td a{overflow-wrap:normal} td.num,th.num{text-align:right;white-space:nowrap}
#concordance td.kw.long{white-space:normal;min-width:10em;max-width:16em} #concordance td small{display:block;color:#666;white-space:nowrap}
#concordance td.source{min-width:12em;max-width:28em;font-size:.8rem;color:#444} #concordance td a{white-space:nowrap}
main.page:has(#concordance){max-width:none}
#concordance td.left div{display:flex;justify-content:flex-end;overflow:hidden} #concordance td.right div{overflow:hidden}
@media (max-width:40rem){#concordance td.left div,#concordance td.right div{width:6.5em} #concordance td.kw{white-space:normal;min-width:5em}}
#concordance details summary{cursor:pointer}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem} dl.meta dd{margin:0;overflow-wrap:anywhere}
"""

NOTEBOOK_STYLE = """
nav.site,nav.pager{box-sizing:border-box}
nav.site{background:#f4f5f7;border-bottom:1px solid #ddd;padding:.5rem 1rem;font-size:.95rem;line-height:1.5}
nav.site .brand{font-weight:bold} nav.site ol{list-style:none;margin:.25rem 0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .9rem}
nav.site a{color:#0b4f8a;text-decoration:none} nav.site a[aria-current]{font-weight:bold;color:#000}
nav.pager{display:flex;justify-content:space-between;gap:1rem;border-top:1px solid #ddd;margin:2rem 1rem;padding-top:.75rem}
@media (min-width:70rem){nav.site{position:fixed;top:0;left:0;bottom:0;width:14rem;border-right:1px solid #ddd;overflow-y:auto;z-index:10}
 nav.site ol{display:block} nav.site li{margin:.35rem 0} body{padding-left:14rem !important}}
main{max-width:100%} .jp-OutputArea-output,.jp-RenderedHTMLCommon,.jp-RenderedMarkdown{overflow-x:auto;max-width:100%}
.jp-RenderedText pre,.jp-InputArea pre{white-space:pre-wrap;overflow-wrap:anywhere}
.jp-Cell{max-width:100%} img{max-width:100%;height:auto}
"""

FILTER_JS = """
document.querySelectorAll('form.filters').forEach(form => {
  const table = document.getElementById(form.dataset.for);
  const rows = [...table.tBodies[0].rows];
  const count = form.querySelector('.count');
  const params = new URLSearchParams(location.search);
  form.querySelectorAll('select').forEach(s => { if (params.has(s.name)) s.value = params.get(s.name); });
  const apply = () => {
    const q = (form.querySelector('input[type=search]').value || '').trim().toLowerCase();
    const picked = [...form.querySelectorAll('select')].filter(s => s.value);
    let shown = 0;
    for (const row of rows) {
      const keep = (!q || row.textContent.toLowerCase().includes(q)) && picked.every(s => row.dataset[s.name] === s.value);
      row.hidden = !keep;
      if (keep) shown++;
    }
    count.textContent = shown + ' of ' + rows.length + ' rows';
  };
  form.addEventListener('input', apply);
  form.addEventListener('submit', e => e.preventDefault());
  apply();
});
"""


@dataclass
class Page:
    file: str
    title: str


def _nav(pages: list[Page], current: str, section: str | None = None) -> str:
    items = "".join(f"<li><a href='{p.file}'{' aria-current=page' if p.file in (current, section) else ''}>"
                    f"{html.escape(p.title)}</a></li>" for p in pages)
    return f"<nav class='site' aria-label='pages'><span class='brand'>tifa 提法</span><ol>{items}</ol></nav>"


def _pager(prev: Page | None, nxt: Page | None) -> str:
    left = f"<a rel='prev' href='{prev.file}'>← {html.escape(prev.title)}</a>" if prev else "<span></span>"
    right = f"<a rel='next' href='{nxt.file}'>{html.escape(nxt.title)} →</a>" if nxt else "<span></span>"
    return f"<nav class='pager' aria-label='previous and next'>{left}{right}</nav>"


def _neighbours(pages: list[Page], file: str) -> tuple[Page | None, Page | None]:
    i = [p.file for p in pages].index(file)
    return (pages[i - 1] if i > 0 else None), (pages[i + 1] if i + 1 < len(pages) else None)


def _page(title: str, body: str, nav: str, pager: str) -> str:
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)} · tifa</title><style>{STYLE}</style></head><body>{nav}"
            f"<main class='page'>{body}{pager}</main><script>{FILTER_JS}</script></body></html>")


def _rel(target: Path, out_dir: Path) -> str:
    return Path(os.path.relpath(target.resolve(), out_dir.resolve())).as_posix()


def _link(target: Path, out_dir: Path, label: str | None = None) -> str:
    """A relative link; a file name may break after _ and before . on a phone (and nowhere else)."""
    text = html.escape(label or target.name).replace("_", "_<wbr>").replace(".", "<wbr>.")
    return f"<a href='{html.escape(_rel(target, out_dir))}'>{text}</a>"


def _table_html(df: pd.DataFrame) -> str:
    return "<div class='scroll'>" + df.to_html(index=False, escape=True, na_rep="", border=0) + "</div>"


def _filterable(table_id: str, header: list[str], rows: list[tuple[dict, list[str]]], selects: dict[str, list[tuple[str, str]]]) -> str:
    """A table with a search box and one <select> per data-* attribute. rows: (data attributes, cells as HTML)."""
    controls = ["<label>Search <input type='search' placeholder='text in any column'></label>"]
    for name, options in selects.items():
        opts = "".join(f"<option value='{html.escape(v)}'>{html.escape(label)}</option>" for v, label in options)
        controls.append(f"<label>{html.escape(name)} <select name='{html.escape(name)}'><option value=''>all</option>{opts}</select></label>")
    form = f"<form class='filters' data-for='{table_id}'>{''.join(controls)}<span class='count' aria-live='polite'></span></form>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr" + "".join(f" data-{k}='{html.escape(str(v))}'" for k, v in data.items()) + ">"
                   + "".join(cells) + "</tr>" for data, cells in rows)
    return f"{form}<div class='scroll'><table id='{table_id}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


def _absent(what: str) -> str:
    return f"<p class='absent'>{html.escape(what)}</p>"


def _doc_file(doc_id: str) -> str:
    return f"doc-{re.sub(r'[^A-Za-z0-9_.-]', '_', doc_id)}.html"


def _texts(processed: Path, doc_ids) -> dict[str, str]:
    texts = {}
    for d in doc_ids:
        path = processed / "normalized" / f"{d}.txt"
        if path.exists():
            texts[d] = path.read_text(encoding="utf-8")
    return texts


def _flat(s: str) -> str:
    return s.replace("\n", " ⏎ ")


# -------------------------------------------------------------- page bodies
def _numeric_right(table_html: str, first: int) -> str:
    """Right-align the columns from index `first` on (numbers) of a pandas to_html table."""
    def row(m):
        cells = re.split(r"(?=<t[dh])", m.group(0))
        head, cells = cells[0], cells[1:]
        return head + "".join(re.sub(r"^<(t[dh])", r"<\1 class='num'", c) if i >= first else c for i, c in enumerate(cells))
    return re.sub(r"<tr[^>]*>.*?</tr>", row, table_html, flags=re.S)


def _index_body(t, out_dir, processed, figures_dir, pages) -> str:
    docs = ordered_docs(t)
    rows = pd.DataFrame({
        "Document": [f"<a href='{_doc_file(d)}'>{html.escape(d)}</a>" for d in docs["doc_id"]],
        "Level": docs["level"].map(html.escape), "Genre": docs["genre"].astype(str).str.replace("_", " ").map(html.escape),
        "Year": docs["year"].astype(str), "Region": docs["region"].astype(str).map(html.escape),
        "Characters": docs["n_chars"].map("{:,}".format), "Sentences": docs["n_sentences"].map("{:,}".format),
        "Masked characters": docs["n_masked_chars"].map("{:,}".format)})
    parts = [
        "<h1>tifa 提法: how central framing spreads into provincial, municipal and district market-regulation documents</h1>",
        "<h2>Research question</h2>",
        "<p>Chinese market-regulation (市场监管) documents are turned into tables of <b>priorities</b> (planned tasks) and "
        "<b>achievements</b> (reported results), and searched for central official formulations (提法) such as 两个确立, "
        "四个最严 and 大市场、大质量、大监管, and for whole passages of central texts (Party Congress reports, government work "
        "reports, in the corpus at level <i>central</i>): which arrive at each level, verbatim or adapted, how densely, from "
        "which central text and with what lag, attributed to whom, and what each level says itself. In a small corpus level is "
        "confounded with genre, year and region; every comparison describes these documents and is not an estimate of a level "
        "effect. Validation figures marked in-sample come from hand coding that was read while the rules were revised; held-out "
        "figures from coding made afterwards on other documents.</p>",
        "<h2>Corpus</h2>", "<div class='scroll'>" + _numeric_right(rows.to_html(index=False, escape=False, border=0), 5) + "</div>",
        "<h2>Key findings</h2><ul>", *[f"<li>{html.escape(s)}</li>" for s in findings(t)], "</ul>",
    ]
    if "model_estimates" in t:
        est = t["model_estimates"]
        notes = sorted({n for n in est.get("note", pd.Series(dtype=str)).dropna().astype(str) if n})
        shown = est[["model", "covariates", "term", "rate_ratio", "ci_low", "ci_high", "p_value"]].copy()
        shown["p_value"] = shown["p_value"].map(p_text)
        parts += ["<h2>Count models</h2>"] + [f"<p class='note'><b>Warning:</b> {html.escape(n)}</p>" for n in notes] + [_table_html(shown)]
    parts += ["<h2>Pages</h2><ul>", *[f"<li><a href='{p.file}'>{html.escape(p.title)}</a></li>" for p in pages[1:]], "</ul>",
              f"<p>All processed tables in one Excel workbook: <a href='{WORKBOOK}'>{WORKBOOK}</a>.</p>"]
    return "\n".join(parts)


def _figures_body(figures_dir: Path, out_dir: Path, processed: Path) -> str:
    parts = ["<h1>Figures</h1>", f"<p>Every figure as PDF, SVG and PNG, with a CSV of exactly the data drawn, from <code>{html.escape(_rel(figures_dir, out_dir))}/</code>.</p>"]
    found = 0
    for spec, _ in CATALOGUE:
        png = figures_dir / f"{spec.name}.png"
        links = " · ".join(_link(figures_dir / f"{spec.name}.{ext}", out_dir, ext.upper())
                           for ext in ("pdf", "svg", "png", "csv") if (figures_dir / f"{spec.name}.{ext}").exists())
        source = _link(processed / f"{spec.table}.csv", out_dir, f"{spec.table}.csv")
        if png.exists():
            found += 1
            data = base64.b64encode(png.read_bytes()).decode("ascii")
            parts.append(f"<figure id='{spec.name}' class='{html.escape(spec.width)}'><img src='data:image/png;base64,{data}' alt='{html.escape(spec.name)}'>"
                         f"<figcaption><b>{spec.name}</b>: {html.escape(spec.caption)}<br>Files: {links}; drawn from {source}; "
                         f"notebook <a href='{spec.notebook}.html'>{spec.notebook}</a>.</figcaption></figure>")
        else:
            parts.append(_absent(f"{spec.name}: not drawn in {figures_dir} (run python -m tifa figures)."))
    if not found:
        parts.insert(2, _absent(f"No figures found in {figures_dir}."))
    return "\n".join(parts)


BROWSE = {  # table: (columns shown, columns offered as filters)
    "priorities": (["doc_id", "item_id", "section_path", "title", "domain", "lead_units", "n_targets"], ["doc_id", "domain"]),
    "targets": (["doc_id", "item_id", "text", "comparator", "value", "unit", "masked", "reason"], ["doc_id", "unit"]),
    "achievements": (["doc_id", "year", "kind", "domain", "indicator", "value", "unit", "masked", "claim"], ["doc_id", "kind", "domain"]),
    "attributions": (["doc_id", "sent_id", "authority", "authority_level", "cue", "text"], ["doc_id", "authority_level"]),
    "formulation_candidates": (["candidate", "kind", "n_docs", "n_occurrences", "levels", "in_lexicon", "local_coinage_candidate"],
                               ["kind", "levels"]),
}


def _tables_body(t, processed: Path, out_dir: Path, tex: list[Path]) -> str:
    from tifa.schemas import TABLES

    tex_names = {p.stem: p for p in tex}
    rows = []
    for name in [n for n in TABLES if n in t] + sorted(n for n in t if n not in TABLES and not n.startswith("_")):
        spec = TABLES.get(name)
        rows.append(f"<tr><td>{_link(processed / f'{name}.csv', out_dir, f'{name}.csv')}</td><td>{len(t[name]):,}</td>"
                    f"<td>{html.escape(spec.description) if spec else ''} <a href='data_dictionary.html#{name}'>columns</a></td></tr>")
    parts = ["<h1>Tables</h1>",
             f"<p>Every table of the build (UTF-8 CSV), and all of them as one Excel workbook: <a href='{WORKBOOK}'>{WORKBOOK}</a> "
             "(one sheet per table and a README sheet).</p>",
             "<div class='scroll'><table><thead><tr><th>table</th><th>rows</th><th>what a row is</th></tr></thead><tbody>",
             *rows, "</tbody></table></div>",
             "<h2>Tables for papers (LaTeX)</h2>",
             "<p>booktabs, longtable where long, sized for a 16 cm text width; compile with XeLaTeX and xeCJK.</p><ul>",
             *[f"<li>{_link(p, out_dir, p.name)}</li>" for p in tex], "</ul>"]
    for name, (columns, filters) in BROWSE.items():
        parts.append(f"<h2 id='browse-{name}'>Browse {name}</h2>")
        if name not in t:
            parts.append(_absent(f"{name}.csv is absent from this build."))
            continue
        df = t[name]
        columns = [c for c in columns if c in df.columns]
        filters = [c for c in filters if c in df.columns]
        data_rows = []
        for r in df[columns].itertuples(index=False):
            values = dict(zip(columns, r))
            cells = []
            for c in columns:
                v = "" if pd.isna(values[c]) else str(values[c])
                if c == "doc_id":
                    cells.append(f"<td><a href='{_doc_file(v)}'>{html.escape(v)}</a></td>")
                else:
                    cells.append(f"<td>{html.escape(v)}</td>")
            data_rows.append(({c: ("" if pd.isna(values[c]) else values[c]) for c in filters}, cells))
        selects = {c: [(str(v), str(v)) for v in sorted(df[c].dropna().astype(str).unique())] for c in filters}
        parts.append(_filterable(f"t-{name}", columns, data_rows, selects))
        if name in tex_names:
            parts.append(f"<p>LaTeX: {_link(tex_names[name], out_dir)}</p>")
    return "\n".join(parts)


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
            rows.append(dict(doc_id=h.doc_id, level=level.get(h.doc_id, ""), match=h.match, formulation=h.formulation_id,
                             start=int(h.start), left=left, kw=kw or h.surface, right=right,
                             about=(f"attributed to {h.attributed_to}" if isinstance(h.attributed_to, str) and h.attributed_to else "")))
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


def _note(row: dict) -> str:
    """The note cell of a concordance row: attribution, or the reuse source with its text folded away."""
    about = html.escape(row["about"])
    if row.get("source"):
        return f"<details><summary>{about}</summary>{html.escape(row['source'])}</details>"
    return about


def _concordance_body(t, texts, gloss: dict[str, str]) -> str:
    rows, notes = _concordance_rows(t, texts)
    canon = {f: g.split(" (")[0] for f, g in gloss.items()}
    parts = ["<h1>Concordance (KWIC)</h1>",
             "<p>Every formulation hit and every central-reuse passage in its context (left | hit | right). "
             "Filter by formulation, document, level and match type; each row links to the document viewer at the hit.</p>",
             *[_absent(n) for n in notes]]
    if not rows:
        parts.append(_absent("Nothing to show."))
        return "\n".join(parts)
    order = {d: i for i, d in enumerate(doc_order(t["documents"]))}
    rows.sort(key=lambda r: (order.get(r["doc_id"], len(order)), r["start"], r["formulation"]))
    data_rows = []
    for r in rows:
        chinese = canon.get(r["formulation"], r["formulation"])
        long = " long" if len(r["kw"]) > 12 else ""
        cells = [f"<td class='left'><div><span>{html.escape(r['left'])}</span></div></td>",
                 f"<td class='kw{long}'><a href='{_doc_file(r['doc_id'])}#h-{r['start']}'><mark class='hit'>{html.escape(r['kw'])}</mark></a></td>",
                 f"<td class='right'><div>{html.escape(r['right'])}</div></td>",
                 f"<td title='{html.escape(gloss.get(r['formulation'], ''))}'>{html.escape(chinese)}<small>{html.escape(r['match'])}</small></td>",
                 f"<td><a href='{_doc_file(r['doc_id'])}#h-{r['start']}'>{html.escape(r['doc_id'])}</a>"
                 f"<small>{html.escape(r['level'])}</small></td>",
                 f"<td class='source'>{_note(r)}</td>"]
        data_rows.append((dict(formulation=r["formulation"], doc=r["doc_id"], level=r["level"], match=r["match"]), cells))
    present = lambda key: sorted({d[key] for d, _ in data_rows})  # noqa: E731
    selects = {"formulation": [(f, gloss.get(f, f)) for f in sorted(present("formulation"), key=lambda f: gloss.get(f, f))],
               "doc": [(d, d) for d in sorted(present("doc"), key=lambda d: order.get(d, len(order)))],
               "level": [(lv, lv) for lv in LEVELS if lv in present("level")],
               "match": [(m, m) for m in present("match")]}
    parts.append(_filterable("concordance", ["left", "hit", "right", "formulation, match", "document, level", "note"],
                             data_rows, selects))
    return "\n".join(parts)


def _marked_text(text: str, spans: list[tuple[int, int, str, str, str]]) -> str:
    """The text as paragraphs with every span marked. spans: (start, end, css class, title, anchor id);
    spans may overlap, so the text is cut at every boundary and each piece carries all classes over it."""
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
    out = ["<p>"]
    for a, b in zip(cuts, cuts[1:]):
        active |= set(starts.get(a, []))
        active = {k for k in active if spans[k][1] > a}
        out += [f"<a id='{html.escape(x)}'></a>" for x in anchors.get(a, [])]
        piece = text[a:b]
        if piece == "\n":
            out.append("</p>\n<p>")
            continue
        if not active:
            out.append(html.escape(piece))
            continue
        ks = sorted(active)
        classes = " ".join(sorted({spans[k][2] for k in ks}))
        titles = "; ".join(dict.fromkeys(spans[k][3] for k in ks if spans[k][3]))
        out.append(f"<span class='{classes}' title='{html.escape(titles)}'>{html.escape(piece)}</span>")
    out.append("</p>")
    return "".join(out).replace("<p></p>", "")


def _document_body(doc: pd.Series, t, text: str | None, gloss) -> str:
    d = doc["doc_id"]
    pick = lambda name: t[name][t[name]["doc_id"] == d] if name in t else None  # noqa: E731
    outline, pri, hits, attr, sents, reuse = (pick(n) for n in ("outline", "priorities", "frame_hits", "attributions", "sentences", "central_reuse"))
    labels = {"title": "Title", "level": "Level", "genre": "Genre", "year": "Year", "region": "Region", "issuer": "Issuer",
              "n_chars": "Characters", "n_sentences": "Sentences", "n_masked_chars": "Masked characters"}
    value = lambda k: f"{doc[k]:,}" if k.startswith("n_") and pd.api.types.is_number(doc[k]) else str(doc[k]).replace("_", " ")  # noqa: E731
    meta = "".join(f"<dt>{label}</dt><dd>{html.escape(value(k))}</dd>" for k, label in labels.items() if k in doc)
    parts = [f"<h1>{html.escape(d)}</h1>", f"<dl class='meta'>{meta}</dl>",
             f"<p>Formulation hits of this document in the <a href='concordance.html?doc={html.escape(d)}'>concordance</a>.</p>",
             "<p class='legend'>Marked: <span class='head'>outline heading</span><span class='pri'>priority</span>"
             "<span class='hit'>formulation hit</span><span class='auth'>attributed authority</span>"
             "<span class='mask'>masked ×*＊</span><span class='reuse'>central reuse</span></p>"]
    spans: list[tuple[int, int, str, str, str]] = []
    absent = []
    parts.append("<p><a href='#text'>Jump to the text</a></p><h2>Outline</h2>")
    if outline is None:
        absent.append("outline.csv")
        parts.append(_absent("outline.csv is absent from this build."))
    elif outline.empty:
        parts.append(_absent("No outline was recovered for this document."))
    else:
        items = []
        for o in outline.itertuples(index=False):
            heading = f"{o.marker}{o.heading if isinstance(o.heading, str) else ''}"
            items.append(f"<li style='margin-left:{(int(o.depth) - 1) * 1.2}rem'><a href='#n-{o.node_id}'>{html.escape(heading)}</a></li>")
            spans.append((int(o.start), int(o.start) + len(heading), "head", f"outline {o.node_id}", f"n-{o.node_id}"))
        parts.append("<ul style='list-style:none;padding-left:0'>" + "".join(items) + "</ul>")
    parts.append("<h2>Priorities</h2>")
    if pri is None:
        parts.append(_absent("priorities.csv is absent from this build."))
    elif pri.empty:
        parts.append(_absent("No priority items in this document."))
    else:
        parts.append(f"<details><summary>{len(pri)} priority items</summary><ol>" + "".join(f"<li><a href='#p-{p.item_id}'>{html.escape(str(p.title))}</a> <small>({html.escape(str(p.domain))})</small></li>"
                                      for p in pri.itertuples(index=False)) + "</ol></details>")
        spans += [(int(p.start), int(p.end), "pri", f"priority {p.item_id}: {p.domain}", f"p-{p.item_id}") for p in pri.itertuples(index=False)]
    if hits is None:
        parts.append(_absent("frame_hits.csv is absent from this build: no formulation hits marked."))
    else:
        spans += [(int(h.start), int(h.end), "hit", f"{gloss.get(h.formulation_id, h.formulation_id)} [{h.match}]", f"h-{int(h.start)}")
                  for h in hits.itertuples(index=False)]
    parts.append("<h2>Attributed authorities</h2>")
    if attr is None or sents is None:
        parts.append(_absent("attributions.csv or sentences.csv is absent from this build."))
    elif attr.empty:
        parts.append(_absent("No sentence in this document attributes a line to an authority."))
    else:
        bounds = sents.set_index("sent_id")[["start", "end"]]
        items = []
        for a in attr.itertuples(index=False):
            if a.sent_id not in bounds.index or text is None:
                continue
            s0, s1 = (int(x) for x in bounds.loc[a.sent_id])
            at = text.find(str(a.authority_surface), s0, s1)
            if at >= 0:
                spans.append((at, at + len(str(a.authority_surface)), "auth", f"{a.authority} ({a.authority_level}, {a.cue})", f"a-{a.sent_id}-{at}"))
                items.append(f"<li><a href='#a-{a.sent_id}-{at}'>{html.escape(str(a.authority))}</a> ({html.escape(str(a.authority_level))}, {html.escape(str(a.cue))})</li>")
        parts.append(f"<details><summary>{len(items)} attributions</summary><ul>" + "".join(items) + "</ul></details>")
    if reuse is not None:
        spans += [(int(r.start), int(r.end), "reuse", f"shared with {r.source_doc_id}", f"h-{int(r.start)}") for r in reuse.itertuples(index=False)]
    parts.append("<h2 id='text'>Text</h2>")
    if text is None:
        parts.append(_absent(f"normalized/{d}.txt is absent from this build: the text cannot be shown."))
    else:
        spans += [(m.start(), m.end(), "mask", "masked in the source", "") for m in re.finditer(f"[{re.escape(MASK_CHARS)}]+", text)]
        spans = [s for s in spans if 0 <= s[0] < s[1] <= len(text)]
        parts.append("<div class='doctext'>" + _marked_text(text, spans) + "</div>")
    return "\n".join(parts)


def _documents_body(docs: pd.DataFrame) -> str:
    rows = [f"<tr><td><a href='{_doc_file(d.doc_id)}'>{html.escape(d.doc_id)}</a></td><td>{html.escape(str(d.level))}</td>"
            f"<td>{html.escape(str(d.genre))}</td><td>{html.escape(str(d.year))}</td><td>{html.escape(str(d.title))}</td></tr>"
            for d in docs.itertuples(index=False)]
    return ("<h1>Documents</h1><p>Each document's normalised text with its outline, priorities, formulation hits, attributed "
            "authorities and masked spans marked.</p><div class='scroll'><table><thead><tr><th>document</th><th>level</th>"
            "<th>genre</th><th>year</th><th>title</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


def _markdown_page(text: str) -> str:
    """Markdown (CommonMark + tables) to HTML, with an id on every heading for #links."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark").enable("table").render(text)

    def anchor(m):
        plain = re.sub(r"<[^>]+>", "", m.group(3))
        slug = re.sub(r"[^\w]+", "-", html.unescape(plain).strip().lower()).strip("-")
        return f"<h{m.group(1)}{m.group(2)} id='{slug}'>{m.group(3)}</h{m.group(1)}>"

    body = re.sub(r"<h([1-6])([^>]*)>(.*?)</h\1>", anchor, body)
    return body.replace("<table>", "<div class='scroll'><table>").replace("</table>", "</table></div>")


def _decorate_notebook(path: Path, nav: str, pager: str, title: str) -> None:
    """Give a rendered notebook the site's navigation, pager and title, and keep it offline."""
    from bs4 import BeautifulSoup

    from tifa.outputs.notebooks import offline

    soup = BeautifulSoup(offline(path.read_text(encoding="utf-8"), title), "html.parser")
    for old in soup.select("nav.site, nav.pager, style#tifa-site"):
        old.decompose()
    style = soup.new_tag("style", id="tifa-site")
    style.string = NOTEBOOK_STYLE
    soup.head.append(style)
    soup.body.insert(0, BeautifulSoup(nav, "html.parser"))
    soup.body.append(BeautifulSoup(pager, "html.parser"))
    path.write_text(embed(str(soup)), encoding="utf-8")


def write_site(t: dict[str, pd.DataFrame], processed: Path, figures_dir: Path, out_dir: Path,
               tex: list[Path]) -> list[Path]:
    """Write every page of the site into out_dir; return their paths in navigation order."""
    gloss = glosses(t)
    docs = ordered_docs(t)
    texts = _texts(processed, docs["doc_id"])
    notebooks = sorted(out_dir.glob("[0-9][0-9]_*.html"))
    nb_titles = {}
    for nb in notebooks:
        match = re.search(r"<title>(.*?)</title>", nb.read_text(encoding="utf-8"), flags=re.S)
        nb_titles[nb.name] = html.unescape(match.group(1)).strip() if match else nb.stem
    pages = [Page("index.html", "Overview"), *[Page(n, nb_titles[n]) for n in nb_titles],
             Page("figures.html", "Figures"), Page("tables.html", "Tables"), Page("concordance.html", "Concordance (KWIC)"),
             Page("documents.html", "Documents"), Page("methods.html", "Methods"), Page("data_dictionary.html", "Data dictionary")]
    from tifa.schemas import dictionary_markdown

    methods = DOCS / "methods.md"
    bodies = {
        "index.html": lambda: _index_body(t, out_dir, processed, figures_dir, pages),
        "figures.html": lambda: _figures_body(figures_dir, out_dir, processed),
        "tables.html": lambda: _tables_body(t, processed, out_dir, tex),
        "concordance.html": lambda: _concordance_body(t, texts, gloss),
        "documents.html": lambda: _documents_body(docs),
        "methods.html": lambda: _markdown_page(methods.read_text(encoding="utf-8")) if methods.exists() else _absent("docs/methods.md is absent."),
        "data_dictionary.html": lambda: _markdown_page(dictionary_markdown()),
    }
    written = []
    for page in pages:
        prev, nxt = _neighbours(pages, page.file)
        nav, pager = _nav(pages, page.file), _pager(prev, nxt)
        path = out_dir / page.file
        if page.file in nb_titles:
            _decorate_notebook(path, nav, pager, page.title)
        else:
            path.write_text(embed(_page(page.title, bodies[page.file](), nav, pager)), encoding="utf-8")
        written.append(path)
    doc_pages = [Page(_doc_file(d), d) for d in docs["doc_id"]]
    for i, (page, doc) in enumerate(zip(doc_pages, docs.itertuples(index=False))):
        prev = doc_pages[i - 1] if i > 0 else Page("documents.html", "Documents")
        nxt = doc_pages[i + 1] if i + 1 < len(doc_pages) else None
        body = _document_body(pd.Series(doc._asdict()), t, texts.get(doc.doc_id), gloss)
        path = out_dir / page.file
        path.write_text(embed(_page(doc.doc_id, body, _nav(pages, page.file, section="documents.html"), _pager(prev, nxt))),
                        encoding="utf-8")
        written.append(path)
    return written
