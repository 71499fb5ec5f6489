# ---
# jupyter:
#   kernelspec:
#     display_name: Python (tifa)
#     language: python
#     name: tifa
# ---

# %% [markdown]
# # 02 · Priorities and achievements
#
# What each level plans (priorities: the smallest enumerated tasks in plan sections, with
# targets and responsible units) and what it reports as done (achievements: numbers, honours
# and firsts in the review sections). Tables: `priorities.csv`, `targets.csv`,
# `achievements.csv`, `attention.csv`, `diversity.csv`, `attention_level_test.csv`,
# `agreement.csv`, `disagreements.csv`, `achievement_recall.csv` in `data/processed/`.

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

pd.set_option("display.max_colwidth", 60)
tables = load_tables(Path(processed_dir))
figures_dir = outputs_beside(Path(processed_dir), "figures")  # drawn by the build graph beside the build
pri, ach = tables["priorities"], tables["achievements"]
DOMAIN = tables["codebook"].set_index("domain")["label_en"].to_dict()  # domain id -> English label (the build's codebook)


def show_figure(name):
    figures.show(name, figures_dir, tables)


# %% [markdown]
# ## Priorities
# One row per smallest enumerated forward-looking task. Items per document:

# %%
show(pri.groupby("doc_id", sort=False).agg(items=("item_id", "size"), targets=("n_targets", "sum"),
                                           chars=("n_chars", "sum")), "priorities")

# %%
show(pri, "priorities", columns=["item_id", "section_path", "title", "domain", "lead_units"], gloss={"domain": DOMAIN},
     missing={"lead_units": "no lead unit named"}, sample="typical", by="doc_id", rows=12)

# %% [markdown]
# ### Attention by domain
# Each priority gets one dominant domain from the codebook (`data/raw/codebook/domains.csv`):
# the domain with most keyword hits among the item's jieba tokens, title tokens counting twice,
# ties broken by title words before body words (methods §4), no hit → `other`. Tasks and
# requirement-type items (一要…六要, 工作要求; `role`) are separate views: `attention.csv` counts
# tasks, `attention_requirements.csv` the requirements. Shares carry Wilson 95% intervals, wide
# with the few items a document has (the item counts are printed below).

# %%
show_figure("attention_by_domain")

# %%
attn = tables["attention"]
show(attn[attn["n_items"] > 0].sort_values(["doc_id", "n_items"], ascending=[True, False]), "attention",
     columns=["doc_id", "domain", "n_items", "share_items"], gloss={"domain": DOMAIN}, sample="typical", by="doc_id")

# %% [markdown]
# ### Diversity
# Normalised Shannon entropy of each document's domain distribution (0 = all items in one
# domain, 1 = as even as the document's number of items allows: entropy is divided by
# log(min(K, n)), K codebook domains and n items). With few items most domains hold one item, so
# the plug-in value is biased and bootstrap intervals degenerate; point estimate and interval
# both come from the posterior of domain shares, Dirichlet(counts + 1/K) (the plug-in value is
# the diamond).

# %%
show_figure("attention_diversity")

# %% [markdown]
# ### Does attention differ by level?
# The honest test keeps documents whole and permutes level labels across them. With few
# documents there are few distinct assignments (`n_assignments`), so p cannot fall below
# `min_attainable_p`; `detectable_effect` says how large a difference the test could detect, and
# any level effect is also a genre, year and region effect. The item-level chi-square is shown only to make the contrast visible: it
# treats items as independent and would overstate the evidence.

# %%
show(tables["attention_level_test"], "attention_level_test", missing="not computed: see reason")

# %%
test = tables["attention_level_test"].iloc[0]
if test.status == "skipped":
    display(Markdown(f"No level test on this corpus: {test.reason}."))
else:
    display(Markdown(
        f"Exact permutation p = **{test.p_value:.2f}** over {int(test.n_assignments)} assignments "
        f"(smallest attainable p = {test.min_attainable_p:.2f}); {test.conclusion}. These {int(test.n_docs)} documents "
        "can describe how these particular agendas differ; they cannot show that level causes the difference."))

# %% [markdown]
# ### Agreement with a blind coding (coder named in `coder`)
# Every priority was coded independently by a language-model coder given only the protocol (`data/raw/annotations/priority_domains_handcoded.csv`,
# coder blind to the automatic output). Cohen's kappa with its 95% interval (statsmodels):

# %%
show(tables["agreement"], "agreement") if "agreement" in tables else Markdown("No blind coding for this corpus.")

# %%
if not tables.get("disagreements", pd.DataFrame()).empty:
    display(show(tables["disagreements"], "disagreements", columns=["item_id", "title", "domain_auto", "domain_hand", "domain_keywords"],
                 missing={"domain_keywords": "no keyword matched"}))

# %% [markdown]
# ### Targets
# Every number inside a priority is a target, with its comparator (不少于 → ≥, 以内 → ≤, 约 → ~),
# unit and period. Masked targets keep the written value and no number.

# %%
show(tables["targets"], "targets", columns=["item_id", "text", "comparator", "value", "unit", "scale", "period", "masked"],
     missing="not stated in the target", sample="typical", by="doc_id")

# %% [markdown]
# ### Who carries the tasks
# Some plans (in the seeds, Wuchang's) name a lead unit (牵头单位) and responsible units (责任单位) for every item.

# %%
show_figure("lead_units")

# %% [markdown]
# ## Achievements
# Numeric claims, honours (获评, 荣获, 入选 …) and firsts/ranks (率先, 第一 …) in review sections.
# A masked value (××.××%) keeps its row, `masked = True` and an empty `value_num`.

# %%
show_figure("achievements_by_kind")

# %%
summary = ach.groupby(["doc_id", "kind"]).agg(claims=("achievement_id", "size"), masked=("masked", "sum")).reset_index()
show(summary, "achievements", rows=40)

# %%
numeric = ach[ach["kind"].isin(["count", "money", "percent", "change"])]
show(numeric[~numeric["masked"].astype(bool)], "achievements", sample="typical", by="doc_id",
     columns=["achievement_id", "kind", "indicator", "value", "unit", "scale", "linked_to"],
     missing={"scale": "no scale word (万, 亿)", "linked_to": "not linked to a priority", "unit": "no unit"},
     note="numeric results whose value is not masked, spread over the documents")

# %% [markdown]
# ### Recall against a blind coding (coder named in `coder`)
# The claims of the review sections of some documents were coded by a language-model coder who never saw
# the extractor (`data/raw/annotations/achievements_handcoded.csv`: numeric claims, masked claims,
# honours and ranks). Scoring is strict and one-to-one: a coded claim matches at most one
# automatic row, in the same sentence, on value and unit (honours on their name). Recall and
# precision per claim type, with Wilson 95% intervals, are in `achievement_validation.csv`;
# automatic rows no coded claim confirms are in `achievement_unconfirmed.csv`. The extractor's
# rules were revised after earlier rounds of this comparison, so these are in-sample figures.

# %%
if not tables.get("achievement_validation", pd.DataFrame()).empty:
    display(show(tables["achievement_validation"], "achievement_validation"))
    rec = tables["achievement_recall"]
    display(show(rec[~rec["found"]], "achievement_recall", columns=["doc_id", "claim_seq", "claim_type", "value", "unit", "text_snippet", "hand_notes"],
                 missing={"hand_notes": "no note by the coder", "value": "no value", "unit": "no unit"}))
    display(show(tables["achievement_unconfirmed"], "achievement_unconfirmed", missing="not recorded"))
else:
    display(Markdown("No blind coding of achievements for the documents of this build."))
