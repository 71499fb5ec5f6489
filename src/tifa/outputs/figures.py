"""Figures: every paper figure, drawn from the processed tables by `python -m tifa figures`.

`CATALOGUE` is the single list of figures (name, caption, source table,
notebook, column width); the report, `figures/README.md` and the notebooks all
read it.

Figures adapt to the corpus instead of failing or overprinting:
* up to `MANY_DOCS` documents, one row (or column) per document; beyond it, a
  distribution per level (seaborn box plots and histograms), levels as columns
  of heatmaps, and a clustered similarity image with the top pairs;
* cell labels only while cells are wide enough (`CELL_LABEL_COLUMNS`);
* heights grow with rows up to a page, then the longest rows are kept and a
  note says how many were left out (all rows stay in the CSV, `shown` column);
* a panel with nothing to show (no priorities, no formulation hits, one
  document) says so instead of raising.
Central reference texts (level "central") are sources, not local plans: figures
about priorities and achievements leave them out.
"""

from __future__ import annotations

import re
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tifa.config import DATA_PROCESSED, FIGURES, LEVELS, SECTION_ROLES, outputs_beside
from tifa.outputs.plots import (DPI, HATCHES, LEVEL_COLOURS, OKABE_ITO, ROLE_COLOURS, SEQUENTIAL, WIDTHS, bilingual, figure,
                        level_handles, level_label, level_palette, rows_height, rows_that_fit, save,
                        nothing_to_show, seeded_global_rng)
from tifa.stages.reuse import MIN_HAN as REUSE_MIN_HAN
from tifa.stages.stats import doc_order
from tifa.text.glossary import short_gloss  # noqa: F401  (a figure label's gloss; re-exported)

import seaborn as sns  # noqa: E402  (after tifa.outputs.plots, which selects the Agg backend)

MANY_DOCS = 40            # beyond this, per-document rows give way to distributions per level
CELL_LABEL_COLUMNS = 20   # heatmap cells carry their number up to this many columns
SIMILARITY_LABELS = 12    # similarity matrices carry numbers up to this many documents
TOP_PER_CATEGORY = 6      # formulations per category in the page-size heatmap
TOP_PAIRS = 20            # most similar document pairs shown in the large-corpus similarity figure

ROLE_GLOSS = {"preamble": "开场 preamble", "review": "回顾 review", "situation": "形势 situation",
              "plan": "部署 plan", "requirements": "要求 requirements",
              "back_matter": "落款 back matter"}
KIND_GLOSS = {"count": "数量 count", "money": "金额 money", "percent": "比率 percent", "change": "增减 change",
              "rank": "排名/率先 rank", "honour": "荣誉 honour"}
CATEGORY_GLOSS = {"ideology_party": "党建与意识形态 party ideology", "macro_policy": "宏观政策 macro policy",
                  "regulatory_instrument": "监管工具 regulatory instruments",
                  "regulatory_doctrine": "监管理念 regulatory doctrine", "campaign": "专项行动 campaigns"}
STATUS_GLOSS = {"verbatim": "原文 verbatim", "adapted": "改写 adapted", "absent": "未见 absent"}
STATUS_COLOURS = {"verbatim": OKABE_ITO[4], "adapted": OKABE_ITO[0], "absent": "#DDDDDD"}
MISSING_GREY = "#EEEEEE"


@dataclass(frozen=True)
class Figure:
    name: str        # the name of the function that draws it (`entry` sets it)
    caption: str
    table: str       # the main table drawn, named in the catalogue
    notebook: str
    width: str
    supplementary: bool = False
    reads: tuple[str, ...] = ()   # every processed table the function is given, and the only ones (`draw`)


# ------------------------------------------------------------------ helpers
def levels_of(t) -> dict[str, str]:
    return dict(zip(t["documents"]["doc_id"], t["documents"]["level"]))


def in_order(order: list[str], ids) -> list[str]:
    """The ids of `order` that occur in `ids`, in that order (the set is built once: linear in documents)."""
    have = set(ids)
    return [d for d in order if d in have]


def local_order(t) -> list[str]:
    """Documents in hierarchy order, central reference texts left out (they set no local priorities)."""
    docs = t["documents"]
    return doc_order(docs[docs["level"] != "central"])


def doc_label(doc_id: str, level: str) -> str:
    return f"{doc_id} ({level})"


def shown_rows(data: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, str]:
    """Keep the first `limit` rows; the note says what was left out (the CSV keeps all, with `shown`)."""
    data = data.assign(shown=np.arange(len(data)) < limit)
    note = "" if len(data) <= limit else f"first {limit} of {len(data)} shown; all in the CSV"
    return data, note


def level_legend(ax_or_fig, levels, **kwargs) -> None:
    kwargs.setdefault("frameon", False)
    ax_or_fig.legend(handles=level_handles(levels), title="level 层级", **kwargs)


def _heatmap(ax, values: pd.DataFrame, labels: pd.DataFrame | None, vmax: float, xlabels: list[str] | None,
             ylabels: list[str]) -> None:
    """A cividis heatmap (seaborn) with absent cells in grey and optional cell labels at 6 pt."""
    with warnings.catch_warnings():  # seaborn draws the half-built figure to size its ticks; the final layout is fine
        warnings.filterwarnings("ignore", message="constrained_layout not applied", category=UserWarning)
        sns.heatmap(values, mask=values.isna(), cmap=SEQUENTIAL, vmin=0, vmax=vmax, cbar=False, ax=ax,
                    annot=labels.to_numpy() if labels is not None else False, fmt="", annot_kws={"fontsize": 6},
                    xticklabels=xlabels if xlabels is not None else False, yticklabels=ylabels, linewidths=0)
    ax.set_facecolor(MISSING_GREY)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(length=0)
    if xlabels is not None:
        ax.set_xticklabels(xlabels, rotation=30 if len(xlabels) <= 12 else 90, ha="right", rotation_mode="anchor")
    ax.set_yticklabels(ylabels, rotation=0)


def _colourbar(fig, axes, vmax: float, label: str) -> None:
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    bar = fig.colorbar(ScalarMappable(Normalize(0, vmax), SEQUENTIAL), ax=axes, shrink=0.6, aspect=30, pad=0.02)
    bar.set_label(label)
    bar.outline.set_visible(False)


# ------------------------------------------------------------------ notebook 01
def corpus_sections_by_role(t):
    docs = t["documents"]
    order = doc_order(docs)
    level = levels_of(t)
    sec = t["sections"].assign(n_chars=lambda d: d["end"] - d["start"])
    data = (sec.groupby(["doc_id", "role"])["n_chars"].sum().unstack(fill_value=0)
            .reindex(index=order, columns=list(SECTION_ROLES), fill_value=0))
    total = data.sum(axis=1)
    share = data.div(total.where(total > 0), axis=0).fillna(0)
    long = data.reset_index(names="doc_id").melt(id_vars="doc_id", var_name="role", value_name="n_chars")
    long["level"] = long["doc_id"].map(level)
    long["share"] = (long["n_chars"] / long["doc_id"].map(total).where(lambda s: s > 0)).fillna(0).round(4)
    long = long[["doc_id", "level", "role", "n_chars", "share"]]
    if not order:
        return nothing_to_show("double", "no documents"), long
    if len(order) <= MANY_DOCS:
        fig, ax = figure("double", rows_height(len(order), extra=1.0))
        y = np.arange(len(order))
        left = np.zeros(len(order))
        for i, role in enumerate(SECTION_ROLES):
            ax.barh(y, share[role], left=left, color=ROLE_COLOURS[role], hatch=HATCHES[i], edgecolor="white",
                    linewidth=0.5, label=ROLE_GLOSS[role])
            left += share[role].to_numpy()
        ax.set_yticks(y, [doc_label(d, level[d]) for d in order])
        ax.set_ylim(len(order) - 0.5, -0.5)
        ax.set_xlabel("share of the document's characters")
        ax.set_xlim(0, 1)
        fig.legend(ncol=5, loc="outside upper center", frameon=False)
        return fig, long
    fig, ax = figure("double", 3.0)
    long = long.assign(role_label=long["role"].map(ROLE_GLOSS))
    sns.boxplot(data=long, x="share", y="role_label", hue="level", hue_order=list(level_palette(long["level"])),
                palette=level_palette(long["level"]), order=[ROLE_GLOSS[r] for r in SECTION_ROLES], ax=ax,
                fliersize=1, linewidth=0.6, legend=False)
    ax.set_ylabel("")
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"share of the document's characters ({len(order)} documents: distribution per level)")
    level_legend(fig, long["level"], loc="outside upper center", ncol=4)
    return fig, long.drop(columns="role_label")


def masking_by_document(t):
    docs = t["documents"].set_index("doc_id").loc[doc_order(t["documents"])].reset_index()
    data = docs[["doc_id", "level", "n_chars", "n_masked_chars", "n_masked_spans", "n_sentences", "n_masked_sentences"]].copy()
    data["masked_sentence_share"] = (data["n_masked_sentences"] / data["n_sentences"].where(data["n_sentences"] > 0)).fillna(0).round(4)
    xlabel = "share of sentences with masked text (× * ＊)"
    if data.empty:
        return nothing_to_show("single", "no documents"), data
    if len(data) <= MANY_DOCS:
        fig, ax = figure("single", rows_height(len(data), extra=1.0))
        y = np.arange(len(data))
        ax.barh(y, data["masked_sentence_share"], color=[LEVEL_COLOURS[lv] for lv in data["level"]])
        for yy, (share, spans) in enumerate(zip(data["masked_sentence_share"], data["n_masked_spans"])):
            ax.text(share + 0.01, yy, f"{spans} spans", va="center", fontsize=6)
        ax.set_yticks(y, data["doc_id"])
        ax.set_ylim(len(data) - 0.5, -0.5)
        ax.set_xlim(0, max(0.1, data["masked_sentence_share"].max() * 1.45))
        ax.set_xlabel(xlabel)
    else:
        fig, ax = figure("single", 2.4)
        palette = level_palette(data["level"])
        sns.histplot(data=data, x="masked_sentence_share", hue="level", hue_order=list(palette), palette=palette,
                     multiple="stack", bins=20, binrange=(0, max(0.05, data["masked_sentence_share"].max())),
                     linewidth=0.3, ax=ax, legend=False)
        ax.set_ylabel("documents")
        ax.set_xlabel(f"{xlabel}\n({len(data)} documents)")
    level_legend(fig, data["level"], loc="outside upper center", ncol=2)
    return fig, data


# ------------------------------------------------------------------ notebook 02
def attention_by_domain(t):
    book = t["codebook"]
    gloss = book.set_index("domain")
    attn = t["attention"]
    attn = attn[attn["level"] != "central"]
    used = attn.groupby("domain")["n_items"].sum()
    domains = [d for d in book["domain"] if used.get(d, 0) > 0]
    attn = attn[attn["domain"].isin(domains)]
    order = in_order(local_order(t), attn["doc_id"])
    level = levels_of(t)
    if not domains:
        return nothing_to_show("double", "no priority items in the local documents: nothing to classify by domain"), attn
    ylabels = [bilingual(gloss.at[d, "label_zh"], gloss.at[d, "label_en"]) for d in domains]
    fig, ax = figure("double", rows_height(len(domains), extra=1.7))
    if len(order) <= MANY_DOCS:
        share = attn.pivot(index="domain", columns="doc_id", values="share_items").reindex(index=domains, columns=order)
        count = attn.pivot(index="domain", columns="doc_id", values="n_items").reindex(index=domains, columns=order)
        xlabels = [doc_label(d, level[d]) for d in order]
        what = "share of the document's priority items"
    else:   # columns are levels: pooled share of the level's items
        by = attn.groupby(["domain", "level"])["n_items"].sum().unstack()
        levels = [lv for lv in LEVELS if lv in by.columns]
        count = by.reindex(index=domains, columns=levels)
        share = count / count.sum()
        xlabels = [f"{level_label(lv)} ({attn.loc[attn['level'] == lv, 'doc_id'].nunique()} docs)" for lv in levels]
        what = "share of the level's priority items"
    share = 100 * share.where(count.fillna(0) > 0)  # per cent, in the colour scale and in the cells
    # the cell text is the share the colour shows (the counts are in the CSV)
    labels = share.map(lambda v: "" if pd.isna(v) else f"{v:.0f}") if share.shape[1] <= CELL_LABEL_COLUMNS else None
    vmax = max(30.0, float(np.nanmax(share.to_numpy())))
    _heatmap(ax, share, labels, vmax, xlabels, ylabels)
    ax.xaxis.tick_top()
    ax.set_xticklabels(xlabels, rotation=30 if len(xlabels) <= 12 else 90, ha="left", rotation_mode="anchor")
    ax.set_xlabel(f"colour and cell: {what} (%); grey: none" if labels is not None else "grey: no items")
    _colourbar(fig, ax, vmax, f"{what} (%)")
    return fig, attn


def attention_diversity(t):
    div = t["diversity"]
    div = div[(div["level"] != "central") & (div["n_items"] > 0)].dropna(subset=["posterior_median"])
    div = div.set_index("doc_id").loc[in_order(local_order(t), div["doc_id"])].reset_index()
    xlabel = "attention diversity (normalised Shannon entropy)"
    if div.empty:
        return nothing_to_show("single", "no priority items in the local documents"), div
    if len(div) <= MANY_DOCS:
        from matplotlib.lines import Line2D

        fig, ax = figure("single", rows_height(len(div), extra=1.5))
        y = np.arange(len(div))
        ax.errorbar(div["posterior_median"], y, xerr=[div["posterior_median"] - div["ci_low"], div["ci_high"] - div["posterior_median"]],
                    fmt="none", ecolor="#555555", capsize=2, linewidth=0.8)
        ax.scatter(div["posterior_median"], y, c=[LEVEL_COLOURS[lv] for lv in div["level"]], zorder=3, s=18)
        ax.scatter(div["entropy_norm"], y, facecolors="none", edgecolors="black", zorder=4, s=18, marker="D", linewidths=0.6)
        ax.set_yticks(y, [f"{d} (n={n})" for d, n in zip(div["doc_id"], div["n_items"])])
        ax.set_ylim(len(div) - 0.5, -0.5)
        ax.set_xlabel("normalised entropy:\nposterior median, 95% interval")
        marks = [Line2D([], [], marker="o", ls="", color="#777777", markersize=4, label="posterior median"),
                 Line2D([], [], marker="D", ls="", mfc="none", mec="black", markersize=4, label="plug-in estimate")]
        fig.legend(handles=level_handles(div["level"]) + marks, loc="outside upper center", ncol=2, frameon=False)
    else:
        fig, ax = figure("single", 2.4)
        palette = level_palette(div["level"])
        div = div.assign(level_name=div["level"].map(level_label))
        names = {level_label(lv): c for lv, c in palette.items()}
        sns.boxplot(data=div, x="posterior_median", y="level_name", hue="level_name", order=list(names), palette=names,
                    fliersize=0, linewidth=0.6, ax=ax, legend=False)
        with seeded_global_rng():
            sns.stripplot(data=div, x="posterior_median", y="level_name", order=list(names), color="black", size=1.5,
                          alpha=0.5, ax=ax)
        ax.set_ylabel("")
        ax.set_xlabel(xlabel + f"\nposterior median per document ({len(div)} documents)")
        div = div.drop(columns="level_name")
    ax.set_xlim(0, 1)
    return fig, div


def achievements_by_kind(t):
    kinds = list(KIND_GLOSS)
    level = levels_of(t)
    ach = t["achievements"]
    ach = ach[ach["doc_id"].map(level).fillna("") != "central"]
    data = ach.groupby(["doc_id", "kind", "masked"]).size().rename("n_claims").reset_index()
    data.insert(1, "level", data["doc_id"].map(level))
    if data.empty:
        return nothing_to_show("single", "no reported results in the local documents"), data
    docs = in_order(local_order(t), data["doc_id"])
    if len(docs) <= MANY_DOCS:
        key, rows, ylabels = "doc_id", docs, docs
    else:
        rows = [lv for lv in LEVELS if lv in set(data["level"])]
        key, ylabels = "level", [f"{level_label(lv)} ({data.loc[data['level'] == lv, 'doc_id'].nunique()} docs)" for lv in rows]
    table = data.groupby([key, "kind", "masked"])["n_claims"].sum()
    fig, ax = figure("single", rows_height(len(rows), extra=1.6, minimum=2.2))
    y = np.arange(len(rows))
    left = np.zeros(len(rows))
    handles = []
    for i, kind in enumerate(kinds):
        for masked in (False, True):
            n = np.array([table.get((r, kind, masked), 0) for r in rows])
            bars = ax.barh(y, n, left=left, color=OKABE_ITO[i], hatch="////" if masked else "", edgecolor="white",
                           linewidth=0.4, label=KIND_GLOSS[kind] + (" (masked)" if masked else ""))
            if n.sum():
                handles.append(bars)
            left += n
    ax.set_yticks(y, ylabels)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel("reported results (hatched: value masked in the source)")
    fig.legend(handles=handles, ncol=2, frameon=False, loc="outside lower center")
    return fig, data


def lead_units(t):
    book = t["glossary"]
    canonical = {r.term: r.same_as or r.term for r in book.itertuples()}
    english = dict(zip(book["term"], book["english"]))
    level = levels_of(t)
    pri = t["priorities"]
    pri = pri[pri["doc_id"].map(level).fillna("") != "central"]
    units = pri.assign(term=pri["lead_units"].fillna("").astype(str).str.split(";")).explode("term")
    units = units[units["term"].str.strip() != ""].assign(term=lambda d: d["term"].str.strip())
    units["unit"] = units["term"].map(canonical).fillna(units["term"])
    units = units.drop_duplicates(["item_id", "unit"])   # an item naming both forms counts once
    columns = ["unit", "english", "terms_merged", "n_documents", "n_tasks_led"]
    if units.empty:
        return nothing_to_show("single", "no document names lead units (牵头单位)"), pd.DataFrame(columns=columns + ["shown"])
    data = (units.groupby("unit").agg(terms_merged=("term", lambda s: ";".join(sorted(set(s)))),
                                      n_documents=("doc_id", "nunique"), n_tasks_led=("item_id", "size"))
            .reset_index().sort_values(["n_tasks_led", "unit"], ascending=[False, True]))
    data["english"] = data["unit"].map(english).fillna("")
    data, note = shown_rows(data[columns], rows_that_fit(extra=1.0))
    shown = data[data["shown"]]
    fig, ax = figure("single", rows_height(len(shown), extra=1.0))
    y = np.arange(len(shown))
    ax.barh(y, shown["n_tasks_led"], color=OKABE_ITO[2])
    ax.set_yticks(y, [bilingual(u, e) for u, e in zip(shown["unit"], shown["english"])])
    ax.set_ylim(len(shown) - 0.5, -0.5)
    n_docs = units["doc_id"].nunique()
    ax.set_xlabel(f"items led (牵头单位)\nin {n_docs} document{'s' if n_docs > 1 else ''}"
                  + (f"\n{note}" if note else ""))
    ax.xaxis.get_major_locator().set_params(integer=True)
    return fig, data


# ------------------------------------------------------------------ notebook 03
GLOSS_WRAP = 44  # characters of a heatmap row label's English gloss per line


def gloss_label(zh: str, english: str) -> str:
    """'中文 English gloss' for a row label, the gloss wrapped onto further lines rather than truncated."""
    lines = textwrap.wrap(short_gloss(english), GLOSS_WRAP, break_on_hyphens=False) or [""]
    return "\n".join([bilingual(zh, lines[0])] + lines[1:])


def rate_text(v: float) -> str:
    """A rate for a heatmap cell: one decimal below 10, none above (fits a narrow cell)."""
    return "" if pd.isna(v) else (f"{v:.1f}" if v < 9.95 else f"{v:.0f}")


def formulation_matrix(t) -> dict:
    """Formulations with hits (lexicon order by category, then most used) against documents, or levels when many."""
    lex = t["lexicon"].set_index("formulation_id")
    categories = list(dict.fromkeys(lex["category"]))
    fbd = t["frame_by_doc"]
    present = fbd.groupby("formulation_id")["count"].sum()
    fids = [f for f in lex.index if present.get(f, 0) > 0]
    fids.sort(key=lambda f: (categories.index(lex.at[f, "category"]), -present[f], f))
    order = in_order(doc_order(t["documents"]), fbd["doc_id"])
    level = levels_of(t)
    data = fbd[fbd["formulation_id"].isin(fids)].merge(lex[["canonical", "english", "category"]], left_on="formulation_id",
                                                       right_index=True)
    if len(order) <= MANY_DOCS:
        count = fbd.pivot(index="formulation_id", columns="doc_id", values="count").reindex(index=fids, columns=order).fillna(0)
        exact = fbd.pivot(index="formulation_id", columns="doc_id", values="n_exact").reindex(index=fids, columns=order).fillna(0)
        value = fbd.pivot(index="formulation_id", columns="doc_id", values="per_10k_chars").reindex(index=fids, columns=order)
        value = value.where(count > 0)
        # the cell text is the quantity the colour shows (never a count beside a rate)
        labels = (value.map(rate_text) + exact.eq(0).replace({True: "†", False: ""})).where(count > 0, "")
        xlabels = [doc_label(d, level[d]) for d in order]
        what, note = "hits per 10,000 characters", "colour and cell: hits per 10,000 characters († = adapted forms only); grey: absent"
    else:   # columns are levels: the share of the level's documents that use the formulation
        fbl = t["frame_by_level"].assign(share=lambda d: d["n_docs_with_hit"] / d["n_docs_at_level"])
        levels = [lv for lv in LEVELS if lv in set(fbl["level"])]
        value = fbl.pivot(index="formulation_id", columns="level", values="share").reindex(index=fids, columns=levels)
        value = value.where(value > 0)
        labels = None
        xlabels = [level_label(lv) for lv in levels]
        what, note = "share of the level's documents using it", f"{len(order)} documents; grey: absent"
    ylabels = {f: gloss_label(lex.at[f, "canonical"], lex.at[f, "english"]) for f in fids}
    return {"lex": lex, "fids": fids, "categories": categories, "value": value, "labels": labels, "xlabels": xlabels,
            "ylabels": ylabels, "what": what, "note": note, "data": data, "present": present}


def _formulation_figure(m: dict, fids: list[str], by_category: bool, note: str = ""):
    vmax = float(np.nanmax(m["value"].to_numpy())) if m["value"].notna().any().any() else 1.0
    groups = ([[f for f in fids if m["lex"].at[f, "category"] == c] for c in m["categories"]] if by_category else [fids])
    groups = [g for g in groups if g]
    def rows(group):  # a wrapped label (two lines) needs more height than a one-line row
        return sum(1 + 0.7 * m["ylabels"][f].count("\n") for f in group)

    fig, axes = figure("double", rows_height(sum(rows(g) for g in groups) + 1.5 * len(groups), extra=1.6), nrows=len(groups),
                       squeeze=False, gridspec_kw={"height_ratios": [rows(g) for g in groups]})
    axes = axes[:, 0]
    for k, (ax, group) in enumerate(zip(axes, groups)):
        labels = m["labels"].loc[group] if m["labels"] is not None and len(m["xlabels"]) <= CELL_LABEL_COLUMNS else None
        _heatmap(ax, m["value"].loc[group], labels, vmax, m["xlabels"] if k == len(groups) - 1 else None,
                 [m["ylabels"][f] for f in group])
        if by_category:
            ax.set_title(CATEGORY_GLOSS.get(m["lex"].at[group[0], "category"], m["lex"].at[group[0], "category"]),
                         loc="left", fontsize=6.5, pad=2)
    axes[-1].set_xlabel(m["note"] + (f"\n{note}" if note else ""))
    _colourbar(fig, list(axes), vmax, m["what"])
    return fig


def formulation_heatmap(t):
    m = formulation_matrix(t)
    if not m["fids"]:
        return nothing_to_show("double", "no formulation of the lexicon occurs in these documents"), m["data"]
    lex, present = m["lex"], m["present"]
    top = [f for c in m["categories"] for f in [f for f in m["fids"] if lex.at[f, "category"] == c][:TOP_PER_CATEGORY]]
    left_out = len(m["fids"]) - len(top)
    note = f"the {TOP_PER_CATEGORY} most used per category; all {len(m['fids'])} in formulation_heatmap_full" if left_out else ""
    fig = _formulation_figure(m, top, by_category=True, note=note)
    data = m["data"].assign(shown=m["data"]["formulation_id"].isin(top))
    assert present is not None
    return fig, data


def formulation_heatmap_full(t):
    m = formulation_matrix(t)
    if not m["fids"]:
        return nothing_to_show("double", "no formulation of the lexicon occurs in these documents"), m["data"]
    limit = rows_that_fit(extra=1.9)
    fids = m["fids"][:limit] if len(m["fids"]) > limit else m["fids"]
    if len(fids) < len(m["fids"]):   # keep the most used when a page cannot hold them all
        keep = set(sorted(m["fids"], key=lambda f: -m["present"][f])[:limit])
        fids = [f for f in m["fids"] if f in keep]
    note = "" if len(fids) == len(m["fids"]) else f"{len(fids)} most used of {len(m['fids'])} shown; all in the CSV"
    fig = _formulation_figure(m, fids, by_category=False, note=note)
    return fig, m["data"].assign(shown=m["data"]["formulation_id"].isin(fids))


def framing_density(t):
    den = t["framing_density"]
    den = den.set_index("doc_id").loc[in_order(doc_order(t["documents"]), den["doc_id"])].reset_index()
    panels = [("hits_per_10k", "hits_ci_low", "hits_ci_high", "formulation hits per 10,000 characters"),
              ("ideological_share", "ideological_ci_low", "ideological_ci_high",
               "share of text in sentences with\nparty-ideological formulations")]
    if den.empty:
        return nothing_to_show("double", "no documents"), den
    if len(den) <= MANY_DOCS:
        fig, axes = figure("double", rows_height(len(den), extra=1.3), ncols=2, sharey=True)
        y = np.arange(len(den))
        for ax, (col, low, high, label) in zip(axes, panels):
            ax.errorbar(den[col], y, xerr=[(den[col] - den[low]).clip(lower=0), (den[high] - den[col]).clip(lower=0)],
                        fmt="none", ecolor="#555555", capsize=2, linewidth=0.8)
            ax.scatter(den[col], y, c=[LEVEL_COLOURS[lv] for lv in den["level"]], s=18, zorder=3)
            ax.set_xlabel(label + "\n(95% bootstrap CI over sentences)")
            ax.set_xlim(left=0)
        axes[0].set_yticks(y, [f"{d} ({yr})" for d, yr in zip(den["doc_id"], den["year"])])
        axes[0].set_ylim(len(den) - 0.5, -0.5)
    else:
        fig, axes = figure("double", 2.6, ncols=2, sharey=True)
        palette = {level_label(lv): c for lv, c in level_palette(den["level"]).items()}
        long = den.assign(level_name=den["level"].map(level_label))
        for ax, (col, _, _, label) in zip(axes, panels):
            sns.boxplot(data=long, x=col, y="level_name", hue="level_name", order=list(palette), palette=palette,
                        fliersize=0, linewidth=0.6, ax=ax, legend=False)
            with seeded_global_rng():
                sns.stripplot(data=long, x=col, y="level_name", order=list(palette), color="black", size=1.5, alpha=0.5,
                              ax=ax)
            ax.set_xlabel(label + f"\n(one point per document, {len(den)} documents)")
            ax.set_ylabel("")
            ax.set_xlim(left=0)
    level_legend(fig, den["level"], loc="outside upper center", ncol=4)
    return fig, den


def diffusion_status_by_level(t):
    lex = t["lexicon"]
    central = set(lex.loc[lex["coined_by"].isin(["central_party", "central_state", "samr"]), "formulation_id"])
    fbl = t["frame_by_level"]
    fbl = fbl[fbl["formulation_id"].isin(central)]
    levels = [lv for lv in LEVELS if lv in set(fbl["level"])]
    data = fbl.groupby(["level", "status"]).size().rename("n_formulations").reset_index()
    if not levels:
        return nothing_to_show("single", "no central formulations in the lexicon, or no documents"), data
    fig, ax = figure("single", rows_height(len(levels), extra=1.2, per_row=0.25))
    left = np.zeros(len(levels))
    y = np.arange(len(levels))
    for i, status in enumerate(STATUS_COLOURS):
        n = np.array([data[(data.level == lv) & (data.status == status)]["n_formulations"].sum() for lv in levels])
        ax.barh(y, n, left=left, color=STATUS_COLOURS[status], hatch=HATCHES[i], edgecolor="white", label=STATUS_GLOSS[status])
        left += n
    docs = t["documents"].groupby("level").size()
    ax.set_yticks(y, [f"{level_label(lv)} ({docs.get(lv, 0)} doc{'s' if docs.get(lv, 0) != 1 else ''})" for lv in levels])
    ax.set_ylim(len(levels) - 0.5, -0.5)
    ax.set_xlabel(f"central formulations in the lexicon (n={len(central)}),\nthe documents of a level pooled")
    fig.legend(ncol=3, frameon=False, loc="outside upper center")
    return fig, data


def document_similarity(t):
    sim = t["similarity"]
    order = in_order(doc_order(t["documents"]), sim["doc_a"])
    level = levels_of(t)
    titles = ("TF-IDF cosine (character 2–4-grams)", "% of the row document's text in passages\nshared with the column document")
    if len(order) < 2:
        return nothing_to_show("double", "fewer than two documents: nothing to compare"), sim
    if len(order) <= MANY_DOCS:
        cos = sim.pivot(index="doc_a", columns="doc_b", values="tfidf_cosine").reindex(index=order, columns=order)
        share = 100 * sim.pivot(index="doc_a", columns="doc_b", values="share_a_reused_in_b").reindex(index=order, columns=order)
        diagonal = np.eye(len(order), dtype=bool)
        cos, share = cos.mask(diagonal), share.mask(diagonal)
        # documents numbered: full names once, on the left; numbers for the columns and the right panel's rows,
        # so that neither panel spends width or height on repeated names (no blank gap between them)
        fig, axes = figure("double", rows_height(len(order), extra=1.0, per_row=0.16), ncols=2)
        names = [f"{k} {doc_label(d, level[d])}" for k, d in enumerate(order, start=1)]
        numbers = [str(k) for k in range(1, len(order) + 1)]
        # cosine as .36 (no leading zero) so that two digits fit a cell
        formats = (lambda v: "1" if v >= 1 else f"{v:.2f}"[1:], lambda v: f"{v:.0f}")
        for k, (ax, matrix, title, fmt, unit) in enumerate(zip(axes, (cos, share), titles, formats,
                                                          ("cosine (0–1)", "% of characters"))):
            labels = matrix.map(lambda v: "" if np.isnan(v) else fmt(v)) if len(order) <= SIMILARITY_LABELS else None
            vmax = float(np.nanmax(matrix.to_numpy())) or 1.0
            _heatmap(ax, matrix, labels, vmax, numbers, names if k == 0 else numbers)
            ax.set_xticklabels(numbers, rotation=0, ha="center")
            ax.set_title(title, fontsize=6.5)
            ax.set_xlabel("column: document number")
            _colourbar(fig, ax, vmax, unit)
        return fig, sim
    return _similarity_at_scale(t, sim, level)


def _similarity_at_scale(t, sim, level):
    """Many documents: mean cosine between levels (over the pairs the similarity table keeps) and the
    most similar pairs, each unordered pair once, named by a short title where the metadata has one."""
    pairs = sim[sim["doc_a"] != sim["doc_b"]].assign(level_a=lambda d: d["doc_a"].map(level),
                                                     level_b=lambda d: d["doc_b"].map(level))
    levels = [lv for lv in LEVELS if lv in set(pairs["level_a"]) | set(pairs["level_b"])]
    by_level = (pairs.groupby(["level_a", "level_b"])["tfidf_cosine"].agg(["mean", "size"])
                .reindex(pd.MultiIndex.from_product([levels, levels], names=["level_a", "level_b"])))
    means = by_level["mean"].unstack()
    counts = by_level["size"].unstack()
    fig, axes = figure("double", 3.0, ncols=2, gridspec_kw={"width_ratios": [1, 1.3]})
    labels = means.round(2).astype(str).where(means.notna(), "") + "\n(" + counts.fillna(0).astype(int).astype(str) + " pairs)"
    names = [level_label(lv) for lv in levels]
    _heatmap(axes[0], means, labels, 1.0, names, names)  # cosine's full range, so levels compare across corpora
    axes[0].set_aspect("equal")
    axes[0].set_title("mean TF-IDF cosine between levels\n"
                      f"(pairs kept by the similarity table, {pairs['doc_a'].nunique()} documents)", fontsize=6.5)
    key = pairs.apply(lambda r: tuple(sorted((r["doc_a"], r["doc_b"]))), axis=1)
    top = (pairs.assign(pair=key).sort_values(["tfidf_cosine", "pair"], ascending=[False, True])
           .drop_duplicates("pair").head(TOP_PAIRS))
    docs = t["documents"].set_index("doc_id")
    short = (docs["title"].astype(str).str.slice(0, 14) if "title" in docs else pd.Series(dtype=str)).to_dict()
    ax = axes[1]
    y = np.arange(len(top))
    ax.barh(y, top["tfidf_cosine"], color=[LEVEL_COLOURS[level[a]] for a in top["doc_a"]])
    ax.set_yticks(y, [f"{short.get(a) or a} ↔ {short.get(b) or b}" for a, b in zip(top["doc_a"], top["doc_b"])], fontsize=6)
    ax.set_ylim(len(top) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"TF-IDF cosine (top {TOP_PAIRS} pairs; bar colour: level of the first)")
    level_legend(fig, pairs["level_a"], loc="outside upper center", ncol=4)
    data = pd.concat([by_level.reset_index().assign(shown_as="level pair mean"), top.drop(columns="pair").assign(shown_as="top pair")])
    return fig, data


# ------------------------------------------------------------------ notebook 04
MATCH_GLOSS = {"exact": "原文 exact", "variant": "变体 variant", "abbreviation": "简称 abbreviation",
               "tier_substitution": "层级替换 tier substitution (国→省/市)", "extension": "扩展 extension",
               "fragment": "片段 fragment"}
MATCH_COLOURS = {"exact": OKABE_ITO[4], "variant": OKABE_ITO[0], "abbreviation": OKABE_ITO[3],
                 "tier_substitution": OKABE_ITO[5], "extension": OKABE_ITO[6], "fragment": "#BBBBBB"}


def _interval_dots(ax, x, y, low, high, colours, marker="o", size=14) -> None:
    ax.errorbar(x, y, xerr=[np.maximum(x - low, 0), np.maximum(high - x, 0)], fmt="none", ecolor="#555555",
                elinewidth=0.7, capsize=1.5, zorder=2)
    ax.scatter(x, y, c=colours, s=size, marker=marker, zorder=3, edgecolors="white", linewidths=0.3)


def central_reuse_share(t):
    """Share of each local document (left) and of each of its sections (right) in passages reproduced from central texts."""
    share = t["central_reuse_share"]
    data = share[share["level"] != "central"].copy()
    docs = data[data["scope"] == "document"]
    if docs.empty:
        return nothing_to_show("double", "no local document or no central text: nothing reproduced"), data
    order = in_order(local_order(t), docs["doc_id"])
    xlabel = "share of characters reproduced from central texts"
    if len(order) <= MANY_DOCS:
        fig, (left, right) = figure("double", rows_height(len(order), extra=1.3, per_row=0.32), ncols=2, sharey=True)
        d = docs.set_index("doc_id").loc[order]
        y = np.arange(len(order))
        # distinctive and formulaic reuse apart: only distinctive wording can name its source
        for kind, offset, marker, colour in (("distinctive", -0.16, "o", REUSE_KIND_COLOURS["distinctive"]),
                                             ("formulaic", 0.16, "s", REUSE_KIND_COLOURS["formulaic"])):
            _interval_dots(left, d[f"share_{kind}"], y + offset, d[f"ci_low_{kind}"], d[f"ci_high_{kind}"], [colour] * len(d),
                           marker=marker)
            left.scatter([], [], color=colour, marker=marker, s=14, label=REUSE_KIND_GLOSS[kind])
        left.set_yticks(y, [doc_label(x, lv) for x, lv in zip(order, d["level"])])
        left.set_ylim(len(order) - 0.5, -0.5)
        left.set_xlabel(xlabel)
        left.set_title("whole document, 95% bootstrap interval over sentences", fontsize=6.5)
        fig.legend(handles=left.get_legend_handles_labels()[0], frameon=False, fontsize=6, loc="outside upper center",
                   ncol=2, title="reproduced passage 引用文段", title_fontsize=6)
        sections = data[(data["scope"] == "section") & data["role"].isin(SECTION_ROLES)]
        by_role = sections.groupby(["doc_id", "role"], sort=False)[["n_chars", "n_reused_chars"]].sum().reset_index()
        roles = [r for r in SECTION_ROLES if r in set(by_role["role"])]
        offsets = {r: (k - (len(roles) - 1) / 2) * 0.8 / max(len(roles), 1) for k, r in enumerate(roles)}
        for role in roles:
            r = by_role[by_role["role"] == role].set_index("doc_id").reindex(order).dropna(subset=["n_chars"])
            ys = np.array([order.index(x) for x in r.index]) + offsets[role]
            right.scatter(r["n_reused_chars"] / r["n_chars"], ys, s=12, color=ROLE_COLOURS[role],
                          marker="o", edgecolors="black", linewidths=0.3, label=ROLE_GLOSS[role], zorder=3)
        right.set_xlabel("share reproduced, by section role")
        right.set_title("by section role (sections of a role pooled per document)", fontsize=6.5)
        # below the panels, never over a point (inside the axes it covered one)
        fig.legend(handles=right.get_legend_handles_labels()[0], frameon=False, fontsize=6, loc="outside lower center",
                   ncol=len(roles), title="section role 段落", title_fontsize=6)
        for ax in (left, right):
            ax.set_xlim(left=0)
            ax.grid(axis="x", linewidth=0.3, color="#DDDDDD")
    else:
        fig, (left, right) = figure("double", 2.6, ncols=2)
        palette = level_palette(docs["level"])
        names = {lv: level_label(lv) for lv in palette}
        d = docs.assign(level_name=docs["level"].map(names))
        sns.boxplot(data=d, x="share", y="level_name", hue="level_name", order=[names[lv] for lv in palette],
                    palette={names[lv]: c for lv, c in palette.items()}, fliersize=1, linewidth=0.6, ax=left, legend=False)
        left.set_xlabel(f"{xlabel}\n({len(docs)} documents)")
        left.set_ylabel("")
        sections = data[(data["scope"] == "section") & data["role"].isin(SECTION_ROLES)]
        pooled = sections.groupby(["level", "role"])[["n_chars", "n_reused_chars"]].sum().reset_index()
        pooled["share"] = pooled["n_reused_chars"] / pooled["n_chars"]
        sns.barplot(data=pooled.assign(level_name=pooled["level"].map(names)), x="share", y="level_name", hue="role",
                    hue_order=[r for r in SECTION_ROLES if r in set(pooled["role"])], palette=ROLE_COLOURS, ax=right)
        right.set_xlabel("pooled share by section role")
        right.set_ylabel("")
        level_legend(fig, docs["level"], loc="outside upper center", ncol=4)
    return fig, data


REUSE_KIND_COLOURS = {"distinctive": OKABE_ITO[7], "formulaic": "#999999"}
REUSE_KIND_GLOSS = {"distinctive": "distinctive: held by one official text 独有措辞",
                    "formulaic": "formulaic: held by two or more 套话"}


def central_sources_timeline(t):
    """Central texts and local documents on one time axis (each over its date interval); a line joins each document
    to the central texts it reproduces passages of whose source is identified (formulaic wording is no link)."""
    from datetime import date as _date

    docs = t["documents"]
    links = t["central_sources"]
    links = links[links["n_passages"] > 0]  # n_passages counts identified passages only
    centre = docs[docs["level"] == "central"].sort_values(["date", "doc_id"])
    local_ids = [d for d in local_order(t)]
    if centre.empty or not local_ids:
        return nothing_to_show("double", "no central text or no local document: no timeline"), links
    if len(local_ids) > MANY_DOCS:  # one row per level: documents as ticks, links as counts
        local_rows = [lv for lv in LEVELS if lv != "central" and lv in set(docs["level"])]
    else:
        local_rows = local_ids
    rows = list(centre["doc_id"]) + local_rows
    level = levels_of(t)
    fig, ax = figure("double", rows_height(len(rows), extra=1.2, per_row=0.3))
    y = {r: k for k, r in enumerate(rows)}
    dates = dict(zip(docs["doc_id"], docs["date"].astype(str)))
    spans = {d: (_date.fromisoformat(low), _date.fromisoformat(high))
             for d, low, high in zip(docs["doc_id"], docs["date_low"], docs["date_high"])}

    def mid(d: str) -> float:
        first, last = spans[d]
        return (first.toordinal() + last.toordinal()) / 2

    for doc_id in docs["doc_id"]:
        first, last = spans[doc_id]
        row = doc_id if doc_id in y else level[doc_id]
        if row not in y:
            continue
        colour = LEVEL_COLOURS[level[doc_id]]
        if first == last:
            ax.scatter([first.toordinal()], [y[row]], color=colour, s=16, marker="D" if level[doc_id] == "central" else "o", zorder=3)
        else:  # dated to an interval (document_dates.csv, or a month or a year): the span it may stand for
            ax.plot([first.toordinal(), last.toordinal()], [y[row]] * 2, color=colour, linewidth=3, alpha=0.8,
                    solid_capstyle="butt", zorder=3)
    widths = links["n_chars"] / max(links["n_chars"].max(), 1)
    for link, width in zip(links.itertuples(), widths):
        row = link.doc_id if link.doc_id in y else level[link.doc_id]
        ax.plot([mid(link.source_doc_id), mid(link.doc_id)], [y[link.source_doc_id], y[row]],
                color="#555555", linewidth=0.4 + 2.0 * width, alpha=0.5,
                linestyle="--" if link.time_order != "before" else "-", zorder=1)
    labels = [f"{r} ({dates[r]})" for r in centre["doc_id"]]
    labels += ([f"{r} ({dates[r]})" for r in local_rows] if len(local_ids) <= MANY_DOCS else [level_label(r) for r in local_rows])
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    years = range(min(low.year for low, _ in spans.values()), max(high.year for _, high in spans.values()) + 2)
    ax.set_xticks([_date(yr, 1, 1).toordinal() for yr in years], [str(yr) for yr in years])
    ax.set_xlabel("date (bars: the interval a document can date from)\n"
                  "line width: characters of passages whose source is identified; dashed: order not fixed by the dates")
    ax.grid(axis="x", linewidth=0.3, color="#DDDDDD")
    level_legend(fig, docs["level"], loc="outside upper center", ncol=4)
    return fig, links


def adaptation_by_level(t):
    """How formulations arrive at each level: share of hits by typed match (exact, variant, tier substitution …)."""
    hits = t["frame_hits"].merge(t["documents"][["doc_id", "level"]], on="doc_id")
    data = hits.groupby(["level", "match"]).size().rename("n_hits").reset_index()
    levels = [lv for lv in LEVELS if lv in set(data["level"])]
    if not levels:
        return nothing_to_show("single", "no formulation hits"), data
    totals = data.groupby("level")["n_hits"].sum()
    data["share"] = (data["n_hits"] / data["level"].map(totals)).round(4)
    fig, ax = figure("single", rows_height(len(levels), extra=1.6, per_row=0.28))
    y = np.arange(len(levels))
    left = np.zeros(len(levels))
    for i, match in enumerate(MATCH_COLOURS):
        share = np.array([data[(data.level == lv) & (data.match == match)]["share"].sum() for lv in levels])
        ax.barh(y, share, left=left, color=MATCH_COLOURS[match], hatch=HATCHES[i], edgecolor="white", linewidth=0.4,
                label=MATCH_GLOSS[match])
        left += share
    ax.set_yticks(y, [f"{level_label(lv)} (n={totals[lv]})" for lv in levels])
    ax.set_ylim(len(levels) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of formulation hits")
    fig.legend(ncol=2, frameon=False, loc="outside upper center", fontsize=6)
    return fig, data


def entry(draw, caption: str, reads: tuple[str, ...], notebook: str, width: str, supplementary: bool = False) -> tuple:
    """A catalogue row: the figure is named after the function that draws it; `reads` lists the processed
    tables it is given (the first is the one the catalogue names), so the build graph knows what it depends on."""
    return Figure(draw.__name__, caption, reads[0], notebook, width, supplementary, reads), draw


CATALOGUE = [
    entry(corpus_sections_by_role, "How each document divides between preamble, review of the past year, situation, plan and requirements (share of characters; section roles from extract.section_roles). Beyond 40 documents: distribution per level.",
          ("sections", "documents"), "01_corpus_and_cleaning", "double"),
    entry(masking_by_document, "Redaction in the sources: share of sentences containing mask characters (× * ＊), with the number of masked spans; colour: level. Beyond 40 documents: histogram.",
          ("documents",), "01_corpus_and_cleaning", "single"),
    entry(attention_by_domain, "Attention by policy domain: share of each local document's priority items per domain (colour and cell text, in per cent; the counts are in the CSV); documents ordered from the top of the hierarchy down, central reference texts left out. Beyond 40 documents, columns are levels.",
          ("attention", "documents", "codebook"), "02_priorities_and_achievements", "double"),
    entry(attention_diversity, "Attention diversity per local document: normalised Shannon entropy of the domain distribution of priorities; plug-in estimate (diamond) and the posterior median with its 95% interval under a Dirichlet(counts + 1/K) model, K codebook domains, entropy divided by log(min(K, n items)); colour: level.",
          ("diversity", "documents"), "02_priorities_and_achievements", "single"),
    entry(achievements_by_kind, "Reported results in the review sections of local documents by kind; hatched bars are claims whose value is masked in the source.",
          ("achievements", "documents"), "02_priorities_and_achievements", "single"),
    entry(lead_units, "Which offices lead the tasks, in the documents that name lead units (牵头单位): priority items per unit, abbreviations merged with their full names through data/raw/glossary/units.csv.",
          ("priorities", "documents", "glossary"), "02_priorities_and_achievements", "single"),
    entry(formulation_heatmap, "Central formulations across documents, by category (the most used per category): hits per 10,000 characters (colour and cell text; the counts are in the CSV); † marks documents using adapted forms only. Beyond 40 documents, columns are levels (share of documents using the formulation).",
          ("frame_by_doc", "documents", "lexicon", "frame_by_level"), "03_framing_diffusion", "double"),
    entry(formulation_heatmap_full, "Supplementary: every formulation with a hit, across documents, as in formulation_heatmap.",
          ("frame_by_doc", "documents", "lexicon", "frame_by_level"), "03_framing_diffusion", "double", supplementary=True),
    entry(framing_density, "Framing density and the share of text in sentences with party-ideological formulations, per document, with 95% bootstrap intervals over sentences; colour: level.",
          ("framing_density", "documents"), "03_framing_diffusion", "double"),
    entry(diffusion_status_by_level, "Central formulations at each level, the level's documents pooled: verbatim if any document of the level uses the canonical form, adapted if its documents use only adapted forms, absent if none uses it. A level with more documents therefore shows fewer absent formulations (the number of documents is beside each level); per document, see formulation_heatmap.",
          ("frame_by_level", "documents", "lexicon"), "03_framing_diffusion", "single"),
    entry(document_similarity, "Document similarity between the numbered documents (names on the left, numbers for the columns): character n-gram TF-IDF cosine (left) and the percentage of each document's text found in passages shared with the other document, of at least " + str(REUSE_MIN_HAN) + " Han characters (right). Beyond 40 documents: the cosine matrix clustered, and the most similar pairs.",
          ("similarity", "documents"), "03_framing_diffusion", "double"),
    entry(central_reuse_share, "Reproduction from the centre: share of each local document's characters (punctuation removed) inside passages that reproduce a central text, distinctive passages (held by one official text of the corpus and background) and formulaic ones (held by two or more) apart, each with a 95% bootstrap interval over sentences (left), and all reproduced passages by section role (right). Beyond 40 documents: distribution of the total share per level and pooled shares by role.",
          ("central_reuse_share", "documents"), "04_central_sources", "double"),
    entry(central_sources_timeline, "Central texts (top) and local documents on one time axis, each over the interval it can date from (bars when longer than a day); a line joins a document to a central text only for passages whose source is identified (held by no other text that could precede the document; formulaic wording draws no line). Width: characters of those passages; dashed: the order is not fixed by the dates.",
          ("central_sources", "documents"), "04_central_sources", "double"),
    entry(adaptation_by_level, "How formulations arrive at each level: share of formulation hits that quote the canonical form, use a listed variant or abbreviation, substitute the tier (质量强国 → 质量强市), extend a formula, or use a fragment; n = hits at the level, central texts included as the reference.",
          ("frame_hits", "documents"), "04_central_sources", "single"),
]


def spec_of(name: str) -> tuple[Figure, object]:
    """The catalogue row of figure `name`."""
    for spec, draw in CATALOGUE:
        if spec.name == name:
            return spec, draw
    raise KeyError(name)


def draw_figure(name: str, tables: dict[str, pd.DataFrame]):
    """(figure, data) of `name`, its function given only the tables its row declares: a function that reads
    an undeclared table fails here, so the declarations the build graph runs on stay true."""
    from tifa.errors import InputError

    spec, draw = spec_of(name)
    missing = [n for n in spec.reads if n not in tables]
    if missing:
        raise InputError(f"figure {name}", f"needs the table(s) {', '.join(missing)}, which the build lacks "
                                           "(rebuild: python -m tifa build)")
    return draw({n: tables[n] for n in spec.reads})


def make(name: str, tables: dict[str, pd.DataFrame], out_dir: Path = FIGURES) -> list[Path]:
    fig, data = draw_figure(name, tables)
    return save(fig, name, data, out_dir)


def make_from(name: str, processed: Path = DATA_PROCESSED, out_dir: Path | None = None) -> list[Path]:
    """Draw figure `name` from the tables it reads in the build `processed` (one build graph task)."""
    from tifa.pipeline import read_table

    spec, _ = spec_of(name)
    tables = {n: read_table(processed / f"{n}.csv") for n in spec.reads if (processed / f"{n}.csv").exists()}
    return make(name, tables, out_dir or outputs_beside(processed, "figures"))


def make_all(processed: Path = DATA_PROCESSED, out_dir: Path | None = None, progress: bool = True) -> list[str]:
    """Every figure of the catalogue from the build `processed`, and the catalogue's README."""
    from tqdm import tqdm

    out_dir = out_dir or outputs_beside(processed, "figures")
    for spec, _ in tqdm(CATALOGUE, desc="figures", disable=not progress):
        make_from(spec.name, processed, out_dir)
    write_catalogue(out_dir)
    return [spec.name for spec, _ in CATALOGUE]


def write_catalogue(out_dir: Path = FIGURES) -> Path:
    lines = ["# Figure catalogue", "",
             "Generated by `python -m tifa figures` from `tifa.outputs.figures.CATALOGUE`. Every figure exists as",
             "PDF (TrueType CJK font embedded), SVG and 300-dpi PNG, next to a CSV of exactly the data plotted",
             "(rows left out of a figure for space are in the CSV, with `shown` false). Each figure is exactly",
             "one journal column wide, single = 89 mm or double = 183 mm, with no text below 6 pt at that size;",
             "heights stop at one page (240 mm).", "",
             f"Figures adapt to the corpus: beyond {MANY_DOCS} documents, per-document rows give way to",
             "distributions per level and heatmap columns become levels; cells carry numbers only while they",
             "are wide enough; a figure with nothing to show says so.", "",
             "| figure | files | caption | drawn from (the build's tables) | notebook | width |", "|---|---|---|---|---|---|"]
    for spec, _ in CATALOGUE:
        files = ", ".join(f"`{spec.name}.{e}`" for e in ("pdf", "svg", "png", "csv"))
        name = f"**{spec.name}**" + (" (supplementary)" if spec.supplementary else "")
        drawn_from = ", ".join(f"`{t}.csv`" for t in spec.reads)
        lines.append(f"| {name} | {files} | {spec.caption} | {drawn_from} | "
                     f"`notebooks/{spec.notebook}.py` | {spec.width} |")
    path = out_dir / "README.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def print_mm(png: Path) -> float:
    """A figure's print width in mm (89 single, 183 double column), read from its PNG: pixels over the DPI."""
    from PIL import Image

    with Image.open(png) as image:
        return round(image.width / DPI * 25.4, 1)


def img_style(mm: float) -> str:
    """Every figure on a page at one scale: a double-column figure fills the text column, a single-column one
    89/183 of it (never below its print size while the screen has room); never wider than its pixels,
    which are about three per CSS pixel at print size, so it stays sharp on a phone."""
    share = 100 * mm / WIDTHS["double"] / 25.4
    return f"width:{share:.1f}%;min-width:min(100%,{mm:g}mm);max-width:100%;height:auto"


def figure_html(png: Path, caption: str) -> str:
    """An <img> of a figure's PNG (embedded) at its scale (img_style), its caption as alt text; everything escaped."""
    import base64
    import html

    mm = print_mm(png)
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(caption)}" data-mm="{mm:g}" '
            f'class="tifa-figure" style="{img_style(mm)}">')


def show(name: str, figures_dir: Path = FIGURES, tables: dict[str, pd.DataFrame] | None = None) -> None:
    """Notebook helper: display a catalogue figure's PNG from `figures_dir` at the page's figure scale
    (img_style), its caption as alt text and below it. The build graph draws the figures before it runs the
    notebooks; a figure not drawn yet is drawn here from `tables`."""
    from IPython.display import HTML, Markdown, display

    png = figures_dir / f"{name}.png"
    if not png.exists():
        if tables is None:
            raise FileNotFoundError(f"{png}: not drawn yet (python -m tifa run figures)")
        make(name, tables, figures_dir)
    spec, _ = spec_of(name)
    display(HTML(figure_html(png, spec.caption)))
    display(Markdown(f"*Figure `{name}`: {spec.caption}* Data: `{figures_dir.name}/{name}.csv`."))
