"""Report: reports/index.html (findings computed from the tables, every figure embedded)
and LaTeX (booktabs) versions of the key tables in reports/tables/."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from tifa.config import DATA_PROCESSED, DATA_RAW, FIGURES, LEVELS, REPORTS
from tifa.figures import CATALOGUE
from tifa.pipeline import load_tables
from tifa.stats import doc_order
from tifa.webfont import embed


# ---------------------------------------------------------------- key numbers
def findings(t: dict[str, pd.DataFrame], raw_dir: Path = DATA_RAW) -> list[str]:
    """The headline findings, each sentence filled from the tables (never typed by hand)."""
    from tifa.frames import lexicon

    docs, pri, ach = t["documents"], t["priorities"], t["achievements"]
    lex = lexicon(raw_dir)
    central = set(lex.loc[lex["coined_by"].isin(["central_party", "central_state", "samr"]), "formulation_id"])
    fbd = t["frame_by_doc"]
    present = fbd[fbd["count"] > 0]
    central_present = present[present["formulation_id"].isin(central)]
    every_doc = central_present.groupby("formulation_id")["doc_id"].nunique()
    everywhere = sorted(every_doc[every_doc == len(docs)].index)
    canon = lex.set_index("formulation_id")["canonical"]
    dens = t["framing_density"].set_index("doc_id")
    validated = all(k in t for k in ("agreement", "achievement_recall", "frame_validation"))
    test = t["attention_level_test"].iloc[0]
    dtest = t["density_level_test"].set_index("outcome")
    sim = t["similarity"]
    off = sim[sim["doc_a"] != sim["doc_b"]].sort_values(["tfidf_cosine", "doc_a"], ascending=[False, True]).iloc[0]
    attr = t["attributions"]
    cand = t["formulation_candidates"]
    masked = ach[ach["kind"].isin(["count", "money", "percent", "change"])]
    out = [
        f"The corpus holds {len(docs)} documents ({', '.join(f'{(docs.level == lv).sum()} {lv}' for lv in LEVELS if (docs.level == lv).any())}), "
        f"{docs['n_chars'].sum():,} characters and {docs['n_sentences'].sum():,} sentences; "
        f"{docs['n_masked_chars'].sum():,} characters are masked in the sources.",
        f"{len(pri)} priority items were found ({'; '.join(f'{d}: {n}' for d, n in pri.groupby('doc_id', sort=False).size().items())}).",
        f"{len(ach)} reported results were extracted from review sections, {len(masked)} of them numeric, "
        f"{int(masked['masked'].sum())} with the value masked.",
        f"{central_present['formulation_id'].nunique()} of {len(central)} central formulations in the lexicon occur at least once; "
        f"{len(everywhere)} occur in all {len(docs)} documents ({', '.join(canon[f] for f in everywhere)}).",
        "Framing density (formulation hits per 10,000 characters): " + ", ".join(f"{d} {dens.at[d, 'hits_per_10k']:.0f}" for d in doc_order(docs))
        + "; the exact permutation test across documents gives "
        f"p = {dtest.at['hits_per_10k', 'p_value']:.2f} for a level difference (the smallest p five documents allow is "
        f"{dtest.at['hits_per_10k', 'min_attainable_p']:.2f}).",
        f"Attention by domain does not differ by level beyond what relabelling documents produces (exact permutation p = {test.p_value:.2f}); "
        "level is confounded with genre, year and region, so no difference here can be read as an effect of level.",
        f"{len(attr)} sentences attribute a line to an authority ({', '.join(f'{n} {lv}' for lv, n in attr['authority_level'].value_counts().reindex(LEVELS).dropna().astype(int).items())}).",
        f"{int(cand['local_coinage_candidate'].sum())} quoted phrases or numbered formulas occur at one level only and are not in the lexicon (candidate local coinages).",
        f"The most similar pair is {off.doc_a} and {off.doc_b} (TF-IDF cosine {off.tfidf_cosine:.2f}); "
        f"{len(t['reuse'])} passages of at least 10 characters are shared between documents, the longest {t['reuse']['length_a'].max()} characters.",
    ]
    if validated:
        agree, rec, val = t["agreement"].iloc[0], t["achievement_recall"], t["frame_validation"]
        out.append(
            f"Validation against blind hand coding: domains agree on {int(agree.n_agree)} of {int(agree.n_items)} priorities "
            f"(Cohen's kappa {agree.kappa:.2f}, 95% CI {agree.ci_low:.2f}–{agree.ci_high:.2f}); the extractor finds "
            f"{int(rec['found'].sum())} of {len(rec)} hand-coded numeric claims with the same value and unit "
            f"({rec['found'].mean():.1%}); formulation counts equal hand counts for {int((val['difference'] == 0).sum())} "
            f"of {len(val)} document–formulation pairs.")
    return out


# --------------------------------------------------------------------- LaTeX
def latex_table(df: pd.DataFrame, caption: str, label: str) -> str:
    """A booktabs table (pandas Styler), stable across runs."""
    styler = df.style.hide(axis="index").format(precision=3, na_rep="", escape="latex").format_index(escape="latex", axis=1)
    return styler.to_latex(caption=caption.replace("%", r"\%"), label=f"tab:{label}", hrules=True, position="htbp",
                           column_format="l" * len(df.columns))


def latex_tables(t: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    docs = t["documents"].set_index("doc_id").loc[doc_order(t["documents"])].reset_index()
    attn = t["attention"]
    wide = attn.pivot(index="domain", columns="doc_id", values="n_items").reindex(columns=doc_order(t["documents"]))
    wide = wide[wide.sum(axis=1) > 0].reset_index()
    fbl = t["frame_by_level"].pivot(index="formulation_id", columns="level", values="status")
    fbl = fbl.reindex(columns=[lv for lv in LEVELS if lv in fbl.columns])
    fbl = fbl[(fbl != "absent").any(axis=1)].reset_index()
    est = t["model_estimates"]
    est = est[est["term"] != "(not identified)"][["model", "covariates", "term", "rate_ratio", "ci_low", "ci_high", "p_value"]]
    specs = {
        "corpus_overview": (docs[["doc_id", "level", "genre", "year", "n_chars", "n_sentences", "n_masked_chars"]],
                            "Corpus overview."),
        "attention_by_domain": (wide, "Priority items by policy domain and document."),
        "formulation_diffusion": (fbl, "Central formulations by level: verbatim, adapted or absent."),
        "model_estimates": (est, "Count models of formulation hits per section (log length offset; rate ratios with 95% intervals; sections treated as independent)."),
        "framing_density": (t["framing_density"][["doc_id", "level", "year", "hits_per_10k", "hits_ci_low", "hits_ci_high",
                                                  "ideological_share"]], "Framing density with 95% bootstrap intervals."),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (df, caption) in specs.items():
        path = out_dir / f"{name}.tex"
        path.write_text("% needs \\usepackage{booktabs} and, for Chinese, xeCJK\n" + latex_table(df, caption, name),
                        encoding="utf-8")
        paths.append(path)
    return paths


# ---------------------------------------------------------------------- HTML
def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(path.stem)}">'


STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
max-width:62rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
figure{margin:2rem 0} img{max-width:100%} figcaption{font-size:.9rem;color:#444}
table{border-collapse:collapse;font-size:.85rem} td,th{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:left}
code{background:#f4f4f4;padding:0 .2rem}
"""


def write_report(processed: Path = DATA_PROCESSED, figures_dir: Path = FIGURES, out_dir: Path = REPORTS,
                 raw_dir: Path = DATA_RAW) -> Path:
    t = load_tables(processed)
    tex = latex_tables(t, out_dir / "tables")
    notebooks = sorted(out_dir.glob("[0-9][0-9]_*.html"))
    docs = t["documents"].set_index("doc_id").loc[doc_order(t["documents"])].reset_index()
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>tifa 提法: central framing in Chinese market-regulation documents</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>tifa 提法: how central framing spreads into provincial, municipal and district market-regulation documents</h1>",
        "<h2>Research question</h2>",
        "<p>Five Chinese market-regulation (市场监管) documents are turned into tables of <b>priorities</b> (planned tasks) and "
        "<b>achievements</b> (reported results), and searched for central official formulations (提法) such as 两个确立, "
        "四个最严 and 大市场、大质量、大监管: which arrive at each level, verbatim or adapted, how densely, attributed to whom, "
        "and what each level coins itself. Five documents confound level with genre, year and region; every comparison "
        "below describes these documents and is not an estimate of a level effect.</p>",
        "<h2>Corpus</h2>",
        docs[["doc_id", "level", "genre", "year", "region", "n_chars", "n_sentences", "n_masked_chars"]].to_html(index=False, escape=True),
        "<h2>Key findings</h2><ul>",
        *[f"<li>{html.escape(s)}</li>" for s in findings(t, raw_dir)],
        "</ul>",
        "<h2>Notebooks</h2><ul>",
        *[f"<li><a href='{p.name}'>{html.escape(p.stem)}</a></li>" for p in notebooks],
        "</ul>",
        "<h2>Figures</h2>",
    ]
    for spec, _ in CATALOGUE:
        png = figures_dir / f"{spec.name}.png"
        if png.exists():
            parts.append(f"<figure id='{spec.name}'>{_img(png)}<figcaption><b>{spec.name}</b>: {html.escape(spec.caption)} "
                         f"Files: <code>figures/{spec.name}.pdf|svg|png</code>; data <code>figures/{spec.name}.csv</code>, "
                         f"from <code>data/processed/{spec.table}.csv</code>; notebook {spec.notebook}.</figcaption></figure>")
    parts += ["<h2>Tables for papers (LaTeX, booktabs)</h2><ul>",
              *[f"<li><code>reports/tables/{p.name}</code></li>" for p in tex], "</ul>",
              "<p>Data dictionary: <code>docs/data_dictionary.md</code>; methods: <code>docs/methods.md</code>.</p>",
              "</body></html>"]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    path.write_text(embed("\n".join(parts)), encoding="utf-8")
    return path
