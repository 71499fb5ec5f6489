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
# * attribution by tier, checked against a blind hand coding (`attribution_accuracy.csv`);
# * how complete the lexicon is, checked against a blind hand list (`lexicon_coverage.csv`).
#
# Method (`tifa.stages.central`; the parameters are printed below from the code). Passages are found by
# seed-and-extend alignment on characters with punctuation, whitespace and masks removed: short
# character seeds from one inverted index over all central texts, runs extended across small
# edits, and kept when long enough in Han characters. A passage found in several central texts is
# credited to the longest match, preferring a source dated before the document; the others are
# listed in `also_in`. Dates are only as precise as the texts allow, so time order is `yes`, `no`
# or `undetermined`, and a source dated after a document can only be a sign of a common earlier
# source (for example a Central Economic Work Conference).
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
documents[["doc_id", "level", "genre", "date", "date_evidence"]].sort_values("date")

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
    display(reuse.sort_values("n_chars", ascending=False)[
        ["doc_id", "source_doc_id", "n_chars", "similarity", "source_precedes", "local_text"]].head(15))

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
    by_doc = share[share["scope"] == "document"][["doc_id", "level", "n_chars", "n_reused_chars", "share", "ci_low",
                                                  "ci_high"]]
    display(by_doc)
    display(Markdown("By level, whole documents (role empty) and by section role; the interval resamples "
                     "documents where a level has several, else sentences (column `interval`):"))
    display(tables["central_reuse_by_level"])

# %% [markdown]
# ## Which central text each document draws on, and the lag
# `lag_days_min`–`lag_days_max` is the range of days from the source's delivery to the document,
# given how precisely each is dated. A negative minimum means the source may postdate the document.

# %%
sources = tables.get("central_sources", pd.DataFrame())
if sources.empty:
    display(Markdown("No central sources in this build."))
else:
    display(sources.pivot_table(index="doc_id", columns="source_doc_id", values="n_passages", fill_value=0))
    display(sources[sources["n_passages"] > 0][["doc_id", "doc_date", "source_doc_id", "source_date",
                                                "source_precedes", "lag_days_min", "lag_days_max", "n_chars"]])

# %% [markdown]
# ### Passages whose credited source is dated after the document
# These are flagged, not dropped: the wording reached both texts from an earlier source.

# %%
if not reuse.empty:
    late = reuse[reuse["source_precedes"] == "no"]
    display(Markdown(f"**{len(late)}** of {len(reuse)} passages are credited to a source dated after the document."))
    display(late[["doc_id", "source_doc_id", "local_text", "time_flag"]])

# %% [markdown]
# ## Typed adaptation by level
# `exact`: the canonical form (even inside a longer form); `variant`/`abbreviation`: forms listed in
# the lexicon; `tier_substitution`: 国 → 省/市/区/县 (质量强国 → 质量强市); `extension`: a slotted or
# parallel formula extended (“稳”字当头、“进”字加力); `fragment`: part of a 、-chained formula.

# %%
show_figure("adaptation_by_level")

# %%
hits = tables["frame_hits"].merge(documents[["doc_id", "level"]], on="doc_id")
pd.crosstab(hits["level"], hits["match"])

# %%
adapted = hits[~hits["match"].isin(["exact"])]
adapted.groupby(["level", "match", "formulation_id"])["surface"].agg(lambda s: ";".join(sorted(set(s)))).reset_index()

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
    display(against_centre[against_centre["rank"] <= 15].pivot(index="rank", columns="level", values="token"))

# %% [markdown]
# ## Attribution by tier
# Who a sentence credits with a speech act or directive (强调, 指出, 要求, 部署 as a verb, 批示,
# 印发, 按照 X 要求, 是 X 的要求), one row per credited authority.

# %%
attr = tables["attributions"]
if attr.empty:
    display(Markdown("No sentence credits an authority in this build."))
else:
    display(pd.crosstab(attr.merge(documents[["doc_id", "level"]], on="doc_id")["level"], attr["authority_level"]))

# %% [markdown]
# ### Checked against blind hand coding
# Four coders who never saw the rules marked, sentence by sentence, which authorities each sentence
# credits: in the local documents (`coding` = local), the central texts (central) and two sets of
# five 2026 provincial government work reports outside the corpus (provincial_a, provincial_b).
# Scoring is strict: a sentence is right only if the two sets of authorities are equal. The rules
# were revised after reading the first three codings, so their figures (`sample` = in-sample) say
# how well the rules fit them; provincial_b was coded after the last revision and is the
# out-of-sample estimate (`sample` = held-out). `all` pools the codings of one sample.

# %%
if not tables.get("attribution_accuracy", pd.DataFrame()).empty:
    display(tables["attribution_accuracy"])
    wrong = tables["attribution_validation"]
    display(wrong[~wrong["correct"]][["coding", "doc_id", "sent_id", "authorities_hand", "authorities_auto", "text"]])
else:
    display(Markdown("No hand coding of attribution for the documents of this build."))

# %% [markdown]
# ## Lexicon coverage, checked against a blind hand list
# A coder listed by hand every central formulation type in some documents, without seeing the
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
    display(summary)
    display(Markdown("`held_out` = True: coded after the lexicon was frozen, never used to change it, so its coverage "
                     "is out-of-sample; False: the lexicon was extended after reading these codes (in-sample). False "
                     f"friends correctly not detected: **{int(cov[cov['false_friend']]['covered'].sum())} of "
                     f"{int(cov['false_friend'].sum())}**."))
    covered = real[real["covered"]]
    display(pd.crosstab(covered["adaptations"], covered["adaptations_auto"]))
    display(real[~real["covered"]][["doc_id", "held_out", "canonical", "surfaces", "in_central_texts"]])
else:
    display(Markdown("No blind hand list of formulations for the documents of this build."))
