# ---
# jupyter:
#   kernelspec:
#     display_name: Python (tifa)
#     language: python
#     name: tifa
# ---

# %% [markdown]
# # 01 · The corpus and how it is cleaned
#
# Chinese market-regulation (市场监管) documents, from a provincial bureau down to a district
# bureau, beside the central reference texts they draw on. This notebook shows what they are,
# what cleaning changed, how each is structured, and why a handful of documents cannot separate
# **level** from **genre, year and region**.
# All logic lives in the `tifa` package; every table here is a CSV in `data/processed/`
# (`python -m tifa build`) and every figure is rebuilt by `python -m tifa figures`.

# %% tags=["parameters"]
processed_dir = "../data/processed"  # the build: every table, the label tables included

# %%
from pathlib import Path

import pandas as pd

from tifa.config import outputs_beside
from tifa.outputs import figures
from tifa.outputs.display import show
from tifa.pipeline import load_tables

pd.set_option("display.max_colwidth", 80)
tables = load_tables(Path(processed_dir))
figures_dir = outputs_beside(Path(processed_dir), "figures")  # drawn by the build graph beside the build
docs = tables["documents"]


def show_figure(name):
    figures.show(name, figures_dir, tables)


# %% [markdown]
# ## The documents
# Region, year and issuer are inferred from the text; the evidence sits beside each inference
# in `data/raw/metadata.csv` (for the seeds, e.g. 甘快办 for Gansu, 大荔县 for Weinan, 凤翔区 for Baoji).

# %%
show(docs, "documents", columns=["doc_id", "level", "genre", "year", "date_low", "date_high", "region", "n_chars", "n_sentences",
                                 "n_outline_nodes", "n_masked_chars", "n_masked_sentences"])

# %%
show(docs, "documents", columns=["doc_id", "region_evidence", "year_evidence", "issuer"])

# %% [markdown]
# ## Cleaning
# Decoding is strict UTF-8 (a BOM is allowed; anything else stops the build and names the file,
# with `--encoding gb18030` as the explicit way out). Normalisation turns line endings into LF,
# full-width digits and letters into half-width, half-width punctuation used as Chinese
# punctuation into full-width (the Wuchang plan of the seeds writes `,:()`), strips indentation and drops empty lines.
# It is idempotent and adds, removes or changes no Han character (both are tested).
# Counts of what each rule changed:

# %%
show(tables["cleaning"].pivot(index="rule", columns="doc_id", values="n_changes").fillna(0).astype(int), "cleaning", rows=40)

# %% [markdown]
# Masks (`×`, `*`, `＊`) are redaction, not text. They are counted, every sentence containing
# one is flagged (`sentences.masked`), and no masked number ever becomes a value.

# %%
show_figure("masking_by_document")

# %% [markdown]
# ## Structure
# The outline parser reads the enumerations these documents use (一、 （一） 1. （1） 一是/一要 ——)
# into `outline.csv`; every top-level section gets a role (`sections.csv`): preamble, review of
# the past year, situation, plan, or requirements.

# %%
show_figure("corpus_sections_by_role")

# %%
show(tables["sections"], "sections", columns=["doc_id", "section_id", "marker", "heading", "role", "rule"], sample="typical", by="doc_id")

# %% [markdown]
# ## Caveat: few documents, many confounds
# Level never varies alone. The table below is the whole design of the local documents: which
# genre, year and region each level's documents have. Wherever a level holds one document, or
# its documents share a genre and year that other levels lack, any difference between levels is
# equally a difference of genre, year or region; later notebooks say so beside every comparison.

# %%
show(pd.crosstab([docs["level"], docs["genre"]], docs["year"]), "documents")
