# ---
# jupyter:
#   kernelspec:
#     display_name: Python (tifa)
#     language: python
#     name: tifa
# ---

# %% [markdown]
# # 04 · Central sources: what the local documents reproduce from the centre
#
# The corpus holds central reference texts (level `central`: Party Congress reports and State
# Council government work reports) beside the local documents. The local documents are the
# objects of study; the central texts are their possible sources. This notebook shows:
#
# * passages of local documents that reproduce a central text (`central_reuse.csv`), the share of
#   each document and section they cover (`central_reuse_share.csv`), which central text each
#   document draws on and with what lag (`central_sources.csv`);
# * how formulations arrive by level, with typed adaptations (`frame_by_level.csv`, `frame_hits.csv`);
# * attribution by tier, checked against blind codings by language-model coders given only the written
#   protocol (`attribution_accuracy.csv`, column `coder`);
# * how complete the lexicon is, checked against a blind list (`lexicon_coverage.csv`).
#
# Method (`tifa.stages.central`; the parameters are printed below from the code). Passages are found by
# seed-and-extend alignment on characters with punctuation, whitespace and masks removed: short
# character seeds from one inverted index over all central texts, runs extended across small
# edits, and kept when long enough in Han characters; a gap is bridged only when enough characters
# agree beyond it and no sentence end or title mark stands on one side only. A passage that is only a
# formulation's name is a formulation hit, not reuse.
#
# **Formulaic or distinctive.** Ritual wording recurs in many central texts, so it cannot say where a
# document took it from. Each passage is looked up in every central text of the corpus and in a
# background collection that never counts as a source (every State Council work report 1954–2025 and
# every Party congress report): `n_sources` texts hold it, and it is `formulaic` when two or more do.
# Its source is `source_identified` only when exactly one text that could precede the document holds it;
# otherwise `source_doc_id` lists the candidates. Documents are dated as intervals (`date_low`–`date_high`
# in `documents.csv`, with the evidence), so a source dated after the document's latest possible date
# is `impossible`, not undetermined. Lags and "draws on most" use identified passages only.
#
# Caveat. A handful of local documents confound level with genre, year and region; every
# comparison below describes these documents and estimates no effect of level.

# %% tags=["parameters"]
processed_dir = "../data/processed"  # the build: every table, the label tables included

# %%
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from tifa.stages import central
from tifa.config import outputs_beside
from tifa.outputs import figures
from tifa.outputs.display import show
from tifa.pipeline import load_tables

pd.set_option("display.max_colwidth", 60)
tables = load_tables(Path(processed_dir))
figures_dir = outputs_beside(Path(processed_dir), "figures")  # drawn by the build graph beside the build


def show_figure(name):
    figures.show(name, figures_dir, tables)


display(Markdown(f"Alignment parameters: seeds of **{central.SEED_N}** characters; gaps of up to "
                 f"**{central.MAX_GAP}** characters bridged; passages kept from **{central.MIN_HAN}** Han characters."))
documents = tables["documents"]
local = documents[documents["level"] != "central"]
central = documents[documents["level"] == "central"]
display(Markdown(f"This build holds **{len(local)}** local and **{len(central)}** central documents."))

# %% [markdown]
# ## The central texts and the local documents in time
# Each document's date is as precise as its text allows (`date_evidence` gives the evidence).

# %%
show(documents.sort_values("date"), "documents", columns=["doc_id", "level", "genre", "date", "date_low", "date_high", "date_evidence"])

# %%
show_figure("central_sources_timeline")

# %% [markdown]
# ## Passages reproduced from central texts
# The longest passages first; `similarity` is 1 for verbatim copies.

# %%
reuse = tables.get("central_reuse", pd.DataFrame())
if reuse.empty:
    display(Markdown("**No passage of a local document reproduces a central text in this build** "
                     "(or there is no central text in the corpus)."))
else:
    display(show(reuse.sort_values("n_chars", ascending=False), "central_reuse",
                 columns=["doc_id", "source_doc_id", "n_chars", "similarity", "time_order", "n_sources", "n_background",
                          "formulaic", "source_identified", "local_text"], note="longest passages first"))
    counts = reuse.groupby(["formulaic", "source_identified"]).size().rename("passages").reset_index()
    display(show(counts, "central_reuse", note="passages by formulaic and identified"))

# %% [markdown]
# ## Reproduction share by document, level and section
# The share of a document's characters (punctuation removed) inside a reproduced passage, with a
# bootstrap interval over sentences.

# %%
show_figure("central_reuse_share")

# %%
share = tables.get("central_reuse_share", pd.DataFrame())
if share.empty:
    display(Markdown("No reproduction shares: the build has no local document or no central text."))
else:
    by_doc = share[share["scope"] == "document"][["doc_id", "level", "n_chars", "share_distinctive", "ci_low_distinctive",
                                                  "ci_high_distinctive", "share_formulaic", "ci_low_formulaic", "ci_high_formulaic"]]
    display(show(by_doc, "central_reuse_share", digits=3))
    display(Markdown("By level, whole documents (role empty) and by section role; the interval resamples "
                     "documents where a level has several, else sentences (column `interval`):"))
    display(show(tables["central_reuse_by_level"], "central_reuse_by_level", digits=3,
                 missing={"role": "whole documents", "ci_low": "no interval: one unit", "ci_high": "no interval: one unit"}))

# %% [markdown]
# ## Which central text each document draws on, and the lag (identified passages only)
# `lag_days_min`–`lag_days_max` is the range of days from the source's delivery to the document, given the
# two date intervals; `time_order` is `before`, `undetermined` (the intervals overlap) or `impossible`.

# %%
sources = tables.get("central_sources", pd.DataFrame())
if sources.empty:
    display(Markdown("No central sources in this build."))
else:
    display(show(sources.pivot_table(index="doc_id", columns="source_doc_id", values="n_passages", fill_value=0), "central_sources",
                 note="passages per document (rows) and central text (columns)"))
    display(show(sources[sources["n_passages"] > 0], "central_sources", columns=["doc_id", "doc_date_low", "doc_date_high", "source_doc_id",
                                                                             "source_date_low", "time_order", "lag_days_min", "lag_days_max",
                                                                             "n_chars", "n_passages_candidate"]))

# %% [markdown]
# ### Passages held only by texts dated after the document
# These are flagged, not dropped: the wording reached both texts from an earlier source outside the corpus.

# %%
if not reuse.empty:
    late = reuse[reuse["time_order"] == "impossible"]
    display(Markdown(f"**{len(late)}** of {len(reuse)} passages are held only by texts dated after the document."))
    display(show(late, "central_reuse", columns=["doc_id", "source_doc_id", "local_text", "time_flag"]))

# %% [markdown]
# ## Typed adaptation by level
# `adaptation` is typed on normal forms: a form that equals the canonical once punctuation, dashes,
# enumeration commas and bracketed year ranges are normalised is not an adaptation. Types:
# `tier_substitution` 国 → 省/市/区/县 (质量强国 → 质量强市), `extension` (a slotted or parallel formula
# extended), `fragment` (part of a 、-chained formula), `abbreviation`, `shortened`, `expanded`, `reordered`,
# `substituted` (docs/methods.md §5).

# %%
show_figure("adaptation_by_level")

# %%
hits = tables["frame_hits"].merge(documents[["doc_id", "level"]], on="doc_id")
show(pd.crosstab(hits["level"], hits["adaptation"].fillna("none (canonical)")), "frame_hits",
     note="formulation hits by level and adaptation type")

# %%
adapted = hits[hits["adaptation"].notna()]
show(adapted.groupby(["level", "adaptation", "formulation_id"])["surface"].agg(lambda s: ";".join(sorted(set(s)))).reset_index(),
     "frame_hits", sample="typical", by="adaptation")

# %% [markdown]
# ## What each level says that the centre does not: keyness against the central texts
# Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) on jieba
# tokens, each local level against the central texts pooled (`keyness.csv`, comparison `central`).
# Genre dominates this comparison: work-conference speeches and plans of a regulator against
# national reports. Read it as the vocabulary a level adds, not as an effect of level.

# %%
key = tables["keyness"]
against_centre = key[(key["comparison"] == "central") & (key["status"] == "ok")]
if against_centre.empty:
    display(Markdown("No comparison with central texts in this build: " + "; ".join(
        key.loc[key["comparison"] == "central", "reason"].dropna())))
else:
    display(show(against_centre[against_centre["rank"] <= 15],
                 "keyness", columns=["level", "rank", "token", "english", "count_level", "count_other", "log_odds_z"],
                 missing={"english": "no gloss in data/raw/glossary"}, rows=45))

# %% [markdown]
# ## Attribution by tier
# Who a sentence credits with a speech act or directive (强调, 指出, 要求, 部署 as a verb, 批示,
# 印发, 按照 X 要求, 是 X 的要求), one row per credited authority.

# %%
attr = tables["attributions"]
if attr.empty:
    display(Markdown("No sentence credits an authority in this build."))
else:
    display(show(pd.crosstab(attr.merge(documents[["doc_id", "level"]], on="doc_id")["level"], attr["authority_level"]), "attributions",
                 note="rows: level of the document; columns: level of the authority credited"))

# %% [markdown]
# ### Checked against blind codings (coder named in `coder`)
# Language-model coders, each given only the written protocol and never the rules or their output,
# marked sentence by sentence which authorities each sentence credits: in the local documents (`coding` =
# local), the central texts (central) and sets of five 2026 provincial government work reports outside the
# corpus (provincial_a to provincial_f; provincial_b2 codes the sentences of provincial_b again, by another
# coder). Scoring is strict: a sentence is right only if the two sets of authorities are equal. The rules were
# revised after reading every coding marked `sample` = in-sample, so those figures say how well the rules fit
# them; the coding marked held-out was drawn and coded after the rules were last frozen and is the
# out-of-sample estimate. `all` pools the codings of
# one sample. Who coded each is in the `coder` column (data/raw/annotations/coders.csv).

# %%
if not tables.get("attribution_accuracy", pd.DataFrame()).empty:
    display(show(tables["attribution_accuracy"], "attribution_accuracy", rows=40, missing="not computed for this measure"))
    wrong = tables["attribution_validation"]
    display(show(wrong[~wrong["correct"]], "attribution_validation", columns=["coding", "doc_id", "sent_id", "authorities_hand", "authorities_auto", "text"],
                 missing={"authorities_hand": "nobody credited by the coder", "authorities_auto": "nobody credited by tifa"}))
else:
    display(Markdown("No blind coding of attribution for the documents of this build."))

# %% [markdown]
# ### How far two coders agree
# The same sentences coded by two coders with the same protocol (`attribution_intercoder`): the share of
# sentences given identical authority sets, and of each coder's crediting sentences that the other codes
# alike. A rule scored against one coder cannot be expected to agree with it more than a second coder does;
# where the coders differ is where the protocol leaves room (inspection findings, 落实 X 部署, fixed names
# such as 中央八项规定精神), which the coders' READMEs list.

# %%
if not tables.get("attribution_intercoder", pd.DataFrame()).empty:
    display(show(tables["attribution_intercoder"], "attribution_intercoder", missing="not a rate"))

# %% [markdown]
# ### Credit of single formulation hits, checked against a blind coding
# Every formulation hit the rules credit to an authority and an equal seeded sample of uncredited hits in
# sentences that name an authority were coded blind (`data/raw/annotations/hit_credit_protocol.md`): does the
# sentence present this phrase as said, required or deployed by a named authority, and by whom? The rules were
# frozen before the sample was drawn, so the figures are held out.

# %%
if not tables.get("hit_credit_accuracy", pd.DataFrame()).empty:
    display(show(tables["hit_credit_accuracy"], "hit_credit_accuracy"))
    hit_rows = tables["hit_credit_validation"]
    display(show(hit_rows[~hit_rows["correct"]], "hit_credit_validation",
                 columns=["doc_id", "sent_id", "surface", "authorities_coder", "authorities_rules"],
                 missing={"authorities_coder": "nobody credited by the coder", "authorities_rules": "nobody credited by tifa"},
                 note="the hits where the coder and the rules differ"))
else:
    display(Markdown("No blind coding of hit-level credit for this build."))

# %% [markdown]
# ## Lexicon coverage, checked against a blind list
# A language-model coder listed every central formulation type in some documents, without seeing the
# lexicon. Coverage is the share of those types the lexicon detects in the same document, and the
# adaptation type agrees when the coder's set of types (exact, variant, tier substitution …) for a
# formulation equals tifa's. The first round's misses were added to the lexicon, so its figures
# are in-sample; a second round on other documents, coded after the lexicon was frozen, gives the
# out-of-sample figure.

# %%
if not tables.get("lexicon_coverage", pd.DataFrame()).empty:
    cov = tables["lexicon_coverage"]
    real = cov[~cov["false_friend"]]
    summary = (real.groupby(["held_out", "doc_id"])
               .agg(types=("covered", "size"), covered=("covered", "sum"), adaptation_agrees=("adaptation_agrees", "sum"))
               .assign(share=lambda d: (d["covered"] / d["types"]).round(3)))
    display(show(summary, "lexicon_coverage", digits=3))
    display(Markdown("`held_out` = True: coded after the lexicon was frozen, never used to change it, so its coverage "
                     "is out-of-sample; False: the lexicon was extended after reading these codes (in-sample). False "
                     f"friends correctly not detected: **{int(cov[cov['false_friend']]['covered'].sum())} of "
                     f"{int(cov['false_friend'].sum())}**."))
    covered = real[real["covered"]]
    display(show(pd.crosstab(covered["adaptations"], covered["adaptations_auto"]), "lexicon_coverage",
                 note="rows: adaptation type coded; columns: type tifa assigned"))
    display(show(real[~real["covered"]], "lexicon_coverage", columns=["doc_id", "held_out", "canonical", "surfaces", "in_central_texts"]))
else:
    display(Markdown("No blind list of formulations for the documents of this build."))
