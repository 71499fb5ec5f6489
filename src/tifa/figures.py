"""Figures: every paper figure, drawn from the processed tables by `python -m tifa figures`.

`CATALOGUE` is the single list of figures (name, caption, source table,
notebook); the report, `figures/README.md` and the notebooks all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tifa.config import DATA_PROCESSED, DATA_RAW, FIGURES, LEVELS, SECTION_ROLES
from tifa.load import read_codebook
from tifa.plots import (HATCHES, LEVEL_COLOURS, OKABE_ITO, ROLE_COLOURS, SEQUENTIAL, bilingual, figure, save)
from tifa.stats import doc_order

ROLE_GLOSS = {"preamble": "开场 preamble", "review": "回顾 review", "situation": "形势 situation",
              "plan": "部署 plan", "requirements": "要求 requirements"}
KIND_GLOSS = {"count": "数量 count", "money": "金额 money", "percent": "比率 percent", "change": "增减 change",
              "rank": "排名/率先 rank", "honour": "荣誉 honour"}
STATUS_COLOURS = {"verbatim": OKABE_ITO[4], "adapted": OKABE_ITO[0], "absent": "#DDDDDD"}


@dataclass(frozen=True)
class Figure:
    name: str
    caption: str
    table: str
    notebook: str
    width: str


def doc_labels(documents: pd.DataFrame) -> dict[str, str]:
    return {r.doc_id: f"{r.doc_id}\n({r.level}, {r.genre.replace('_', ' ')})" for r in documents.itertuples()}


# ------------------------------------------------------------------ notebook 01
def corpus_sections_by_role(t):
    docs = t["documents"]
    order = doc_order(docs)
    sec = t["sections"].assign(n_chars=lambda d: d["end"] - d["start"])
    data = (sec.groupby(["doc_id", "role"])["n_chars"].sum().unstack(fill_value=0)
            .reindex(index=order, columns=list(SECTION_ROLES), fill_value=0))
    share = data.div(data.sum(axis=1), axis=0)
    fig, ax = figure("double", 2.6)
    left = np.zeros(len(order))
    labels = doc_labels(docs)
    for i, role in enumerate(SECTION_ROLES):
        ax.barh([labels[d] for d in order], share[role], left=left, color=ROLE_COLOURS[role],
                hatch=HATCHES[i], edgecolor="white", linewidth=0.5, label=ROLE_GLOSS[role])
        left += share[role].to_numpy()
    ax.invert_yaxis()
    ax.set_xlabel("share of the document's characters")
    ax.set_xlim(0, 1)
    ax.legend(ncol=5, loc="lower center", bbox_to_anchor=(0.4, 1.0), frameon=False)
    long = data.reset_index().melt(id_vars="doc_id", var_name="role", value_name="n_chars")
    long["share"] = long.apply(lambda r: round(r["n_chars"] / data.loc[r["doc_id"]].sum(), 4), axis=1)
    return fig, long


def masking_by_document(t):
    docs = t["documents"].set_index("doc_id").loc[doc_order(t["documents"])].reset_index()
    data = docs[["doc_id", "level", "n_chars", "n_masked_chars", "n_masked_spans", "n_sentences", "n_masked_sentences"]].copy()
    data["masked_sentence_share"] = (data["n_masked_sentences"] / data["n_sentences"]).round(4)
    fig, ax = figure("single", 2.4)
    labels = doc_labels(t["documents"])
    ax.barh([labels[d].split("\n")[0] for d in data["doc_id"]], data["masked_sentence_share"],
            color=[LEVEL_COLOURS[lv] for lv in data["level"]])
    for y, (share, spans) in enumerate(zip(data["masked_sentence_share"], data["n_masked_spans"])):
        ax.text(share + 0.01, y, f"{spans} spans", va="center", fontsize=6)
    ax.invert_yaxis()
    ax.set_xlabel("share of sentences with masked text (× * ＊)")
    ax.set_xlim(0, max(0.1, data["masked_sentence_share"].max() * 1.35))
    return fig, data


# ------------------------------------------------------------------ notebook 02
def attention_by_domain(t, raw_dir: Path = DATA_RAW):
    book = read_codebook(raw_dir)
    attn = t["attention"]
    order = doc_order(t["documents"])
    used = attn.groupby("domain")["n_items"].sum()
    domains = [d for d in book["domain"] if used.get(d, 0) > 0]
    share = attn.pivot(index="domain", columns="doc_id", values="share_items").reindex(index=domains, columns=order)
    count = attn.pivot(index="domain", columns="doc_id", values="n_items").reindex(index=domains, columns=order)
    gloss = book.set_index("domain")
    fig, ax = figure("double", 0.22 * len(domains) + 1.2)
    values = np.ma.masked_where(count.to_numpy() == 0, share.to_numpy())
    im = ax.imshow(values, cmap=SEQUENTIAL, aspect="auto", vmin=0, vmax=max(0.3, np.nanmax(share.to_numpy())))
    ax.set_facecolor("#F4F4F4")
    ax.set_yticks(range(len(domains)), [bilingual(gloss.at[d, "label_zh"], gloss.at[d, "label_en"]) for d in domains])
    labels = doc_labels(t["documents"])
    ax.set_xticks(range(len(order)), [labels[d] for d in order], fontsize=6, rotation=25, ha="left")
    ax.xaxis.tick_top()
    for (i, j), n in np.ndenumerate(count.to_numpy()):
        if n:
            value = share.to_numpy()[i, j]
            ax.text(j, i, int(n), ha="center", va="center", fontsize=6, color="black" if value > 0.15 else "white")
    fig.colorbar(im, ax=ax, label="share of the document's priority items", shrink=0.6)
    ax.spines[:].set_visible(False)
    return fig, attn[attn["domain"].isin(domains)]


def attention_diversity(t):
    div = t["diversity"].set_index("doc_id").loc[doc_order(t["documents"])].reset_index()
    fig, ax = figure("single", 2.2)
    y = np.arange(len(div))
    ax.errorbar(div["posterior_median"], y, xerr=[div["posterior_median"] - div["ci_low"], div["ci_high"] - div["posterior_median"]],
                fmt="none", ecolor="#555555", capsize=2, linewidth=0.8)
    ax.scatter(div["posterior_median"], y, c=[LEVEL_COLOURS[lv] for lv in div["level"]], zorder=3, s=18, label="posterior median")
    ax.scatter(div["entropy_norm"], y, facecolors="none", edgecolors="black", zorder=4, s=18, marker="D", linewidths=0.6,
               label="plug-in estimate")
    ax.legend(frameon=False, fontsize=6, loc="lower left")
    ax.set_yticks(y, [f"{d} (n={n})" for d, n in zip(div["doc_id"], div["n_items"])])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("attention diversity (normalised Shannon entropy;\nposterior median and 95% interval, Dirichlet(counts + 1/24))")
    return fig, div


def achievements_by_kind(t):
    ach = t["achievements"]
    kinds = ["count", "money", "percent", "change", "rank", "honour"]
    docs = [d for d in doc_order(t["documents"]) if d in set(ach["doc_id"])]
    data = ach.groupby(["doc_id", "kind", "masked"]).size().rename("n_claims").reset_index()
    fig, ax = figure("single", 2.4)
    y = np.arange(len(docs))
    left = np.zeros(len(docs))
    for i, kind in enumerate(kinds):
        for masked in (False, True):
            n = np.array([data[(data.doc_id == d) & (data.kind == kind) & (data.masked == masked)]["n_claims"].sum() for d in docs])
            ax.barh(y, n, left=left, color=OKABE_ITO[i], hatch="////" if masked else "", edgecolor="white",
                    linewidth=0.4, label=KIND_GLOSS[kind] + (" (masked)" if masked else ""))
            left += n
    ax.set_yticks(y, docs)
    ax.invert_yaxis()
    ax.set_xlabel("reported results (hatched: value masked in the source)")
    handles, names = ax.get_legend_handles_labels()
    totals = data.groupby(["kind", "masked"])["n_claims"].sum()
    keep = [k for k, (kind, masked) in enumerate((kd, m) for kd in kinds for m in (False, True)) if totals.get((kind, masked), 0)]
    ax.legend([handles[k] for k in keep], [names[k] for k in keep], fontsize=5, ncol=2, frameon=False,
              loc="upper left", bbox_to_anchor=(0, -0.3))
    return fig, data


def lead_units(t, raw_dir: Path = DATA_RAW):
    pri = t["priorities"]
    units = pri.assign(unit=pri["lead_units"].fillna("").str.split(";")).explode("unit")
    units = units[units["unit"] != ""]
    data = units.groupby(["doc_id", "unit"]).size().rename("n_tasks_led").reset_index()
    data = data.sort_values(["n_tasks_led", "unit"], ascending=[False, True])
    glossary = pd.read_csv(raw_dir / "glossary" / "units.csv").set_index("term")["english"].to_dict()
    data["english"] = data["unit"].map(glossary).fillna("")
    fig, ax = figure("single", 0.16 * len(data) + 0.8)
    ax.barh([bilingual(u, e) for u, e in zip(data["unit"], data["english"])], data["n_tasks_led"], color=OKABE_ITO[2])
    ax.invert_yaxis()
    ax.set_xlabel("priority items led (牵头单位 lead unit)")
    ax.tick_params(axis="y", labelsize=6)
    return fig, data


# ------------------------------------------------------------------ notebook 03
def short_gloss(english: str, limit: int = 42) -> str:
    """First English rendering, cut at a word boundary."""
    text = english.split(";")[0].split(" (")[0].strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def formulation_heatmap(t, raw_dir: Path = DATA_RAW):
    from tifa.frames import lexicon

    lex = lexicon(raw_dir).set_index("formulation_id")
    fbd = t["frame_by_doc"]
    order = doc_order(t["documents"])
    present = fbd.groupby("formulation_id")["count"].sum()
    fids = [f for f in lex.index if present.get(f, 0) > 0]
    fids.sort(key=lambda f: (list(lex["category"].unique()).index(lex.at[f, "category"]), -present[f], f))
    dens = fbd.pivot(index="formulation_id", columns="doc_id", values="per_10k_chars").reindex(index=fids, columns=order)
    count = fbd.pivot(index="formulation_id", columns="doc_id", values="count").reindex(index=fids, columns=order)
    exact = fbd.pivot(index="formulation_id", columns="doc_id", values="n_exact").reindex(index=fids, columns=order)
    fig, ax = figure("double", 0.15 * len(fids) + 1.3)
    masked_dens = np.ma.masked_where(count.to_numpy() == 0, dens.to_numpy())
    im = ax.imshow(masked_dens, cmap=SEQUENTIAL, aspect="auto")
    ax.set_facecolor("#F4F4F4")
    ax.set_yticks(range(len(fids)), [bilingual(lex.at[f, "canonical"], short_gloss(lex.at[f, "english"])) for f in fids], fontsize=5)
    labels = doc_labels(t["documents"])
    ax.set_xticks(range(len(order)), [labels[d] for d in order], fontsize=6, rotation=25, ha="left")
    ax.xaxis.tick_top()
    for (i, j), n in np.ndenumerate(count.to_numpy()):
        if n:
            mark = "" if exact.to_numpy()[i, j] else "†"
            ax.text(j, i, f"{int(n)}{mark}", ha="center", va="center", fontsize=5,
                    color="white" if masked_dens[i, j] < np.nanmax(dens.to_numpy()) * 0.5 else "black")
    fig.colorbar(im, ax=ax, label="hits per 10,000 characters", shrink=0.4)
    ax.set_xlabel("cell: hit count († = adapted forms only); grey = absent")
    ax.spines[:].set_visible(False)
    data = fbd[fbd["formulation_id"].isin(fids)].merge(lex[["canonical", "english", "category"]], left_on="formulation_id", right_index=True)
    return fig, data


def framing_density(t):
    den = t["framing_density"]
    fig, axes = figure("double", 2.3, ncols=2, sharey=True)
    y = np.arange(len(den))
    for ax, (col, low, high, label) in zip(axes, [
        ("hits_per_10k", "hits_ci_low", "hits_ci_high", "formulation hits per 10,000 characters"),
        ("ideological_share", "ideological_ci_low", "ideological_ci_high", "share of text in sentences with\nparty-ideological formulations"),
    ]):
        ax.errorbar(den[col], y, xerr=[(den[col] - den[low]).clip(lower=0), (den[high] - den[col]).clip(lower=0)], fmt="none", ecolor="#555555",
                    capsize=2, linewidth=0.8)
        ax.scatter(den[col], y, c=[LEVEL_COLOURS[lv] for lv in den["level"]], s=18, zorder=3,
                   marker="o")
        ax.set_xlabel(label + "\n(95% bootstrap CI over sentences)")
        ax.set_xlim(left=0)
    axes[0].set_yticks(y, [f"{d} ({lv}, {yr})" for d, lv, yr in zip(den["doc_id"], den["level"], den["year"])])
    axes[0].invert_yaxis()
    return fig, den


def diffusion_status(t, raw_dir: Path = DATA_RAW):
    from tifa.frames import lexicon

    lex = lexicon(raw_dir)
    central = set(lex.loc[lex["coined_by"].isin(["central_party", "central_state", "samr"]), "formulation_id"])
    fbl = t["frame_by_level"]
    fbl = fbl[fbl["formulation_id"].isin(central)]
    levels = [lv for lv in LEVELS if lv in set(fbl["level"])]
    data = fbl.groupby(["level", "status"]).size().rename("n_formulations").reset_index()
    fig, ax = figure("single", 2.0)
    left = np.zeros(len(levels))
    for i, status in enumerate(["verbatim", "adapted", "absent"]):
        n = np.array([data[(data.level == lv) & (data.status == status)]["n_formulations"].sum() for lv in levels])
        ax.barh(levels, n, left=left, color=STATUS_COLOURS[status], hatch=HATCHES[i], edgecolor="white", label=status)
        left += n
    docs = t["documents"].groupby("level").size()
    ax.set_yticks(range(len(levels)), [f"{lv} ({docs[lv]} doc{'s' if docs[lv] > 1 else ''})" for lv in levels])
    ax.invert_yaxis()
    ax.set_xlabel(f"central formulations in the lexicon (n={len(central)})")
    ax.legend(ncol=3, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return fig, data


def document_similarity(t):
    sim = t["similarity"]
    order = doc_order(t["documents"])
    cos = sim.pivot(index="doc_a", columns="doc_b", values="tfidf_cosine").reindex(index=order, columns=order)
    share = sim.pivot(index="doc_a", columns="doc_b", values="share_a_reused_in_b").reindex(index=order, columns=order)
    fig, axes = figure("double", 3.0, ncols=2, layout="constrained")
    for ax, matrix, title, fmt in [(axes[0], cos, "character 2-4-gram TF-IDF cosine", "{:.2f}"),
                                   (axes[1], share, "share of row document reused in column document", "{:.1%}")]:
        values = matrix.to_numpy().copy()
        np.fill_diagonal(values, np.nan)
        im = ax.imshow(np.ma.masked_invalid(values), cmap=SEQUENTIAL, vmin=0)
        ax.set_xticks(range(len(order)), order, rotation=45, ha="right", fontsize=6)
        ax.set_yticks(range(len(order)), order if ax is axes[0] else [], fontsize=6)
        ax.set_title(title, fontsize=8)
        for (i, j), v in np.ndenumerate(values):
            if not np.isnan(v):
                ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=5,
                        color="white" if v < np.nanmax(values) * 0.5 else "black")
        ax.spines[:].set_visible(False)
        fig.colorbar(im, ax=ax, shrink=0.7)
    return fig, sim


CATALOGUE = [
    (Figure("corpus_sections_by_role", "How each document divides between preamble, review of the past year, situation, plan and requirements (share of characters; section roles from extract.section_roles).", "sections", "01_corpus_and_cleaning", "double"), corpus_sections_by_role),
    (Figure("masking_by_document", "Redaction in the sources: share of sentences containing mask characters (× * ＊), with the number of masked spans.", "documents", "01_corpus_and_cleaning", "single"), masking_by_document),
    (Figure("attention_by_domain", "Attention by policy domain: share of each document's priority items per domain (cell: number of items); documents ordered provincial to district.", "attention", "02_priorities_and_achievements", "double"), attention_by_domain),
    (Figure("attention_diversity", "Attention diversity per document: normalised Shannon entropy of the domain distribution of priorities; plug-in estimate (diamond) and the posterior median with its 95% interval under a Dirichlet(counts + 1/24) model.", "diversity", "02_priorities_and_achievements", "single"), attention_diversity),
    (Figure("achievements_by_kind", "Reported results in the review sections by kind; hatched bars are claims whose value is masked in the source.", "achievements", "02_priorities_and_achievements", "single"), achievements_by_kind),
    (Figure("lead_units_wuchang", "Which offices lead the Wuchang district's 2023 tasks: priority items per lead unit (牵头单位).", "priorities", "02_priorities_and_achievements", "single"), lead_units),
    (Figure("formulation_heatmap", "Central formulations across documents: hits per 10,000 characters (colour) and counts (text); † marks documents using adapted forms only.", "frame_by_doc", "03_framing_diffusion", "double"), formulation_heatmap),
    (Figure("framing_density", "Framing density and the share of text in sentences with party-ideological formulations, per document, with 95% bootstrap intervals over sentences.", "framing_density", "03_framing_diffusion", "double"), framing_density),
    (Figure("diffusion_status_by_level", "Central formulations at each level: used verbatim, only in adapted form, or absent.", "frame_by_level", "03_framing_diffusion", "single"), diffusion_status),
    (Figure("document_similarity", "Document similarity: character n-gram TF-IDF cosine (left) and share of each document's text found in shared passages of at least 10 characters (right).", "similarity", "03_framing_diffusion", "double"), document_similarity),
]


def make(name: str, tables: dict[str, pd.DataFrame], out_dir: Path = FIGURES) -> list[Path]:
    for spec, draw in CATALOGUE:
        if spec.name == name:
            fig, data = draw(tables)
            return save(fig, name, data, out_dir)
    raise KeyError(name)


def make_all(processed: Path = DATA_PROCESSED, out_dir: Path = FIGURES) -> list[str]:
    from tqdm import tqdm

    from tifa.pipeline import load_tables

    tables = load_tables(processed)
    for spec, draw in tqdm(CATALOGUE, desc="figures"):
        fig, data = draw(tables)
        save(fig, spec.name, data, out_dir)
    write_catalogue(out_dir)
    return [spec.name for spec, _ in CATALOGUE]


def write_catalogue(out_dir: Path = FIGURES) -> Path:
    lines = ["# Figure catalogue", "", "Generated by `python -m tifa figures` from `tifa.figures.CATALOGUE`. Every figure exists as",
             "PDF (fonts embedded), SVG and 300-dpi PNG, next to a CSV of exactly the data plotted. Widths fit a",
             "journal column: single = 89 mm, double = 183 mm.", "",
             "| figure | files | caption | drawn from | notebook | width |", "|---|---|---|---|---|---|"]
    for spec, _ in CATALOGUE:
        files = ", ".join(f"`{spec.name}.{e}`" for e in ("pdf", "svg", "png", "csv"))
        lines.append(f"| **{spec.name}** | {files} | {spec.caption} | `data/processed/{spec.table}.csv` | "
                     f"`notebooks/{spec.notebook}.ipynb` | {spec.width} |")
    path = out_dir / "README.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def show(name: str, tables: dict[str, pd.DataFrame], out_dir: Path = FIGURES) -> None:
    """Notebook helper: redraw a catalogue figure into `out_dir`, display its PNG and caption."""
    from IPython.display import Image, Markdown, display

    make(name, tables, out_dir)
    spec = next(s for s, _ in CATALOGUE if s.name == name)
    display(Image(filename=str(out_dir / f"{name}.png"), width=760))
    display(Markdown(f"*Figure `{name}`: {spec.caption}* Data: `{out_dir.name}/{name}.csv`."))
