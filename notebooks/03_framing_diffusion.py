# ---
# jupyter:
#   kernelspec:
#     display_name: Python (tifa)
#     language: python
#     name: tifa
# ---

# %% [markdown]
# # 03 · Central framing and how it spreads
#
# Which central formulations (提法) arrive in provincial, municipal and district documents,
# verbatim or adapted, how densely, attributed to whom, and what each level coins itself. The
# central reference texts are in the corpus (level `central`) as the baseline; notebook 04
# traces whole passages back to them.
# Detection is string matching on the normalised text (quotes removed) against the lexicon in
# `data/raw/lexicon/formulations.csv`, longest match first and never counting a span twice.
# Tables: `frame_hits.csv`, `frame_by_doc.csv`, `frame_by_level.csv`, `attributions.csv`,
# `formulation_candidates.csv`, `reuse.csv`, `similarity.csv`, `framing_density.csv`,
# `density_level_test.csv`, `model_estimates.csv`, `keyness.csv`.

# %% tags=["parameters"]
processed_dir = "../data/processed"  # the build: every table, the label tables included

# %%
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from tifa.config import outputs_beside
from tifa.outputs import figures
from tifa.outputs.display import show
from tifa.pipeline import load_tables

pd.set_option("display.max_colwidth", 70)
tables = load_tables(Path(processed_dir))
figures_dir = outputs_beside(Path(processed_dir), "figures")  # drawn by the build graph beside the build
lex = tables["lexicon"]  # the lexicon this build searched for
hits, fbd = tables["frame_hits"], tables["frame_by_doc"]
ENGLISH = lex.set_index("canonical")["english"].to_dict()  # canonical form -> English gloss


def show_figure(name):
    figures.show(name, figures_dir, tables)


# %% [markdown]
# ## The lexicon
# Each row cites where and when the formulation was first used authoritatively. Rows marked
# `central_rule` were selected from the central texts alone by a written rule (numbered formulas,
# phrases the centre quotes and parallel chains found in at least two central texts; docs/methods.md §5),
# which never reads a local document, so statistics on them are not chosen by what the local documents
# say; `curated` rows (local coinages, SAMR campaigns, documented additions) are reported apart.

# %%
show(lex.groupby(["selection", "category"]).size().rename("formulations"), rows=40, note="lexicon rows by selection and category")

# %% [markdown]
# ## Where each formulation arrives
# Documents are ordered provincial → municipal → district, then by year.

# %%
show_figure("formulation_heatmap")

# %% [markdown]
# ### Detection checked against a blind count (language-model coder; column `coder`)
# An earlier blind count of the lexicon rows then in use, per seed document
# (`data/raw/annotations/formulation_counts_handcoded.csv`), compared on the rows and documents
# it covers. The stricter, blind check of the extended lexicon (every central formulation type a
# coder found, whether tifa detects it, and with which adaptation type) is in notebook 04.

# %%
if not tables.get("frame_validation", pd.DataFrame()).empty:
    v = tables["frame_validation"]
    display(Markdown(f"Automatic count equals the coder's count for **{(v['difference'] == 0).sum()} of {len(v)}** "
                     "document–formulation pairs; the rows below differ."))
    display(show(v[v["difference"] != 0], "frame_validation"))

# %% [markdown]
# ### Verbatim, adapted or absent at each level
# A formulation is *verbatim* at a level if any document there uses its canonical form (after
# punctuation, dashes, enumeration commas and year ranges are normalised), *adapted* if only typed
# adaptations occur (tier substitution 质量强国 → 质量强市, extension, fragment, abbreviation, shortened,
# expanded, reordered, substituted; e.g. 守稳市场安全底线 for 守住安全底线).

# %%
show_figure("diffusion_status_by_level")

# %%
adapted = hits[hits["adaptation"].notna()].merge(lex[["formulation_id", "canonical"]], on="formulation_id")
show(adapted.groupby(["formulation_id", "canonical", "surface"]).agg(docs=("doc_id", lambda s: ";".join(sorted(set(s)))),
                                                                    hits=("doc_id", "size")).reset_index()
     .sort_values("hits", ascending=False), "frame_hits", columns=["canonical", "surface", "docs", "hits"],
     gloss={"canonical": ENGLISH}, note="adapted forms, most frequent first")

# %% [markdown]
# ## Density and party-ideological framing
# Hits per 10,000 characters, and the share of each document's text in sentences carrying a
# party-ideological formulation (category `ideology_party`), with bootstrap intervals over sentences.

# %%
show_figure("framing_density")

# %%
show(tables["framing_density"], "framing_density", columns=["doc_id", "level", "year", "hits_per_10k", "hits_ci_low", "hits_ci_high",
                                                       "ideological_share", "ideological_ci_low", "ideological_ci_high"], digits=3)

# %% [markdown]
# ### 2022 and 2023
# Formulations of the 20th Party Congress (October 2022) can only appear in the 2023 documents;
# which formulations appear only in one year's documents:

# %%
by_year = tables["frame_by_year"]
show(by_year[by_year["only_this_year"]].merge(lex[["formulation_id", "canonical", "english"]]).sort_values(
    ["year", "count"], ascending=[True, False]), "frame_by_year", columns=["year", "canonical", "english", "count"])

# %% [markdown]
# ## Attribution: who is said to have said it
# An authority is credited only as the actor of a speech act or directive (强调, 指出, 要求,
# 部署 as a verb, 批示, 印发, "按照 X 要求", "是 X 的要求" …), every member of a coordinated list,
# in both directions; loyalty boilerplate (贯彻落实党中央决策部署), future events and the speaker's
# own body are not credited (methods §5). One row per credited authority; `levels_up` counts
# tiers between the document and the authority. Accuracy against blind codings (coder named): notebook 04.
#
# A formulation hit is credited only when it lies in the scope of the authority's speech act or
# directive (the object of 贯彻落实…精神, what follows …强调/指出/要求), not anywhere in its sentence;
# `sentence_credit` in `frame_hits.csv` keeps the sentence-level credit for comparison. Hit-level credit
# is checked against a blind coding in notebook 04 (`hit_credit_accuracy.csv`).

# %%
attr = tables["attributions"]
show(attr.pivot_table(index="doc_id", columns="authority_level", values="sent_id", aggfunc="count", fill_value=0), "attributions",
     note="credits per document and level of the authority credited")

# %%
show(hits[hits["attributed_to"].notna()].merge(lex[["formulation_id", "canonical"]], on="formulation_id"), "frame_hits",
     columns=["doc_id", "sent_id", "canonical", "surface", "attributed_to"], gloss={"canonical": ENGLISH}, sample="typical", by="doc_id")

# %% [markdown]
# ## What the lexicon lacks, and what each level coins
# Every quoted phrase and numbered formula, with its document frequency. Phrases not in the
# lexicon that occur at a single level are candidate local coinages (甘快办, 渭好办 …); they are
# candidates, not findings, until read in context.

# %%
cand = tables["formulation_candidates"]
show(cand[cand["local_coinage_candidate"]].groupby("levels").size().rename("candidates"), "formulation_candidates")

# %%
show(cand[cand["local_coinage_candidate"] & (cand["kind"] == "numbered")], "formulation_candidates",
     columns=["candidate", "kind", "levels", "n_docs", "n_occurrences", "doc_ids"], sample="typical")

# %%
show(cand[cand["n_docs"] >= 2].sort_values(["n_docs", "n_occurrences"], ascending=False), "formulation_candidates",
     columns=["candidate", "kind", "levels", "n_docs", "n_occurrences", "in_lexicon"])

# %% [markdown]
# ## A count model, and what a handful of documents can show
# Quasi-Poisson and negative-binomial GLMs of formulation hits per section, log section length
# as offset, level as covariate (reference: the level with most documents), then level + year. Level, year and genre
# are constant within documents, so adding genre leaves as many parameters as documents and the
# model is reported as not identified. Sections are nested in documents but treated as
# independent, so the intervals are too narrow; the rate ratios describe these documents and do
# not estimate a level effect. The exact permutation test across documents is the honest
# yardstick (its minimum attainable p is printed with it).

# %%
est = tables["model_estimates"]
show(est[est["term"] != "Intercept"], "model_estimates", columns=["model", "covariates", "term", "rate_ratio", "ci_low", "ci_high", "p_value", "note"],
     missing={"rate_ratio": "model not identified", "ci_low": "model not identified", "ci_high": "model not identified",
              "p_value": "model not identified", "note": "no note"}, digits=3, rows=30)

# %%
show(tables["density_level_test"], "density_level_test", missing="not computed: see reason", digits=3)

# %% [markdown]
# ## Distinctive vocabulary by level
# Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008; prior =
# 1,000 × corpus token shares) on jieba tokens, each local level against the other local levels,
# with signed log-likelihood G² beside it (`comparison` = `other_levels`; each level against the
# central texts is in notebook 04). Where a level holds one document, its "level" vocabulary is
# that document's.

# %%
key = tables["keyness"]
between = key[(key["comparison"] == "other_levels") & (key["status"] == "ok")]
show(between[between["rank"] <= 10], "keyness", columns=["level", "rank", "token", "english", "count_level", "count_other", "log_odds_z"],
     missing={"english": "no gloss in data/raw/glossary"}, rows=40)

# %% [markdown]
# ## Text reuse
# Shared passages between documents (character n-gram seeds, extended along the diagonal,
# small gaps merged; methods §6), and document similarity.

# %%
show_figure("document_similarity")

# %%
reuse = tables["reuse"]
show(reuse.sort_values("length_a", ascending=False), "reuse", columns=["doc_a", "doc_b", "length_a", "text_a"], rows=10)
