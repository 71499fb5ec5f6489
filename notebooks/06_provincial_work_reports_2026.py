# ---
# jupyter:
#   kernelspec:
#     display_name: Python (tifa)
#     language: python
#     name: tifa
# ---

# %% [markdown]
# # 06 · Provincial government work reports 2026: central framing across the provinces
#
# The seed documents cannot tell levels apart: level is confounded with genre, year, region and
# author, and no document's superior is in the corpus. This case fixes what it can. It holds **one genre**
# (the government work report a provincial governor delivers to the provincial people's congress), **one
# year** (January–February 2026), **every province**, each report dated to the day from its own byline,
# and the **central parents in the corpus**: the State Council's government work reports of March 2024 and
# March 2025 and the 20th Party Congress report (October 2022), all dated before every provincial report.
#
# What it can show: how much central wording and how many central formulations each province's report
# carries, with intervals, and which central text a province draws on. What it cannot show: an effect of
# being a province rather than a city (there is one tier here), or why a province writes as it does
# (wealth, leadership, region are not in the data). Reuse that is shared by several central texts is
# ritual and identifies no source; where the build separates distinctive from formulaic reuse, the
# tables below say which they use.
#
# Built by `make report` (the build graph's task `case:gwr2026`; by hand `python -m tifa case gwr2026`;
# code in `tifa.cases.gwr2026`) from the archive in
# `data/cases/archives/`, with the same pipeline as the seeds. The scraped pages' toolbar, breadcrumb,
# source and time lines are removed as front matter by the cleaner (rule `site_front_matter_lines`).

# %% tags=["parameters"]
processed_dir = "../data/cases/gwr2026/processed"

# %%
from pathlib import Path

import pandas as pd
from IPython.display import Image, Markdown, display

from tifa.cases import gwr2026
from tifa.outputs.display import show

tables = gwr2026.load_case(Path(processed_dir).parent)
documents = tables["documents"]
provinces = tables["provinces"]
central = documents[documents["level"] == "central"]
display(Markdown(f"This build holds **{len(provinces)}** provincial reports and **{len(central)}** central texts "
                 f"({', '.join(central['doc_id'])}). Provincial reports were delivered between "
                 f"**{provinces['date'].min()}** and **{provinces['date'].max()}**."))

# %% [markdown]
# ## What the cleaner removed
# Lines of site furniture removed from the head of each page (toolbar, breadcrumb, 来源/时间 lines, photo
# captions); the title, byline and speaker stay.

# %%
cleaning = tables["cleaning"]
front = cleaning[cleaning["rule"] == "site_front_matter_lines"].set_index("doc_id")["n_changes"]
display(show(front.rename("front-matter lines removed").describe().to_frame().T, "cleaning", digits=1))

# %% [markdown]
# ## Provinces ranked
# Framing density (lexicon formulation hits per 10,000 characters) with a 95% bootstrap interval over
# sentences, and the share of each report's characters in *distinctive* passages of the case's central texts
# (passages held by two or more texts of the corpus and of the background collection of every State Council
# report and Party congress report are formulaic and left out: they identify no source).
# Overlapping intervals mean the ranking between those provinces is not established.

# %%
figure = Path(processed_dir).parent / "figures" / "province_ranking.png"
display(Image(filename=str(figure), width=420))
display(Markdown("*Figure `province_ranking`: provinces by framing density (left) and by the share of characters in "
                 "distinctive passages of the central texts (right), with 95% intervals. Data: `figures/province_ranking.csv`.*"))

# %%
display(show(provinces, "provinces", columns=["province_en", "province", "date", "n_chars", "hits_per_10k", "hits_ci_low",
                                             "hits_ci_high", "reuse_share", "reuse_ci_low", "reuse_ci_high", "formulations_used"],
             digits=3, rows=31))

# %% [markdown]
# ## Which central text each province draws on
# Share of each report's characters in identified passages that come from each central text (a passage is
# identified when exactly one text that could precede the report holds it; notebook 04 gives the rule).

# %%
display(show(gwr2026.sources_by_province(tables).reset_index(names="province"), "central_sources", digits=3, rows=31))

# %% [markdown]
# ## Formulations: how many provinces use each, and which central texts carry it

# %%
uptake = gwr2026.formulation_uptake(tables)
everywhere = uptake[uptake["share_of_provinces"] == 1.0]
display(Markdown(f"**{len(everywhere)}** of the **{len(uptake)}** formulations found in any provincial report "
                 f"occur in every one of them."))
display(show(uptake, "frame_by_doc", digits=2, rows=25, note="formulations by the number of provinces using them"))

# %% [markdown]
# ## Priorities, targets and achievements per report
# The same extraction as for the seeds. The domain codebook was written for market regulation; on a
# government work report most priorities fall outside it (`other`), so the domain table says little here.

# %%
counts = pd.DataFrame({
    "priorities": tables["priorities"].groupby("doc_id").size(),
    "targets": tables["targets"].groupby("doc_id").size(),
    "achievements": tables["achievements"].groupby("doc_id").size(),
}).reindex(provinces["doc_id"]).fillna(0).astype(int)
counts.index = [gwr2026.english(p) for p in provinces["province"]]
display(show(counts.describe().T.reset_index(names="table"), "priorities", digits=1, note="per provincial report"))
