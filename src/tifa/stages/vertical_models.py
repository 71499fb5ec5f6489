"""Document-level models of vertical reuse (issue 22, item 6): how much of a regulation reproduces earlier
texts of each source tier, by the tier of the regulation, with documents clustered by jurisdiction.

The unit is a local regulation x source tier (`reuse_by_tier.csv`); regulations of one city or province are
not independent (one drafting office, one model statute), so inference is clustered by `region`. Two answers:

* a GEE (statsmodels) of the distinctive share on tier of source x level of the document, with year of
  adoption as a covariate, exchangeable working correlation within regions and robust (sandwich) errors;
* for the placebo contrast (own province's same-topic regulation vs the other province's), a cluster
  bootstrap of the mean difference, resampling regions, since it is one number and needs no model.

What is identified: associations between tiers in these two provinces' regulations, adjusted for year.
What is not: a causal effect of hierarchy (regions choose what to legislate and when), nor anything about
provinces other than Shandong and Henan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tifa.config import RANDOM_SEED

BOOTSTRAP = 2000
MODEL_COLUMNS = ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n_obs", "n_clusters", "outcome"]


def term_name(term: str) -> str:
    """C(tier, Treatment('central'))[T.own_province]:C(level, ...)[T.municipal] -> tier own_province x level municipal."""
    import re

    parts = [re.sub(r"C\((\w+), Treatment\('[^']*'\)\)\[T\.([^\]]+)\]", r"\1 \2", p) for p in term.split(":")]
    return " x ".join(parts).replace("year_c", "year (centred)").replace("Intercept", "intercept")


def tier_frame(reuse_by_tier: pd.DataFrame) -> pd.DataFrame:
    """One row per local regulation and source tier, with every tier present (no reuse = share 0)."""
    docs = reuse_by_tier.drop_duplicates("doc_id")[["doc_id", "level", "province", "region", "date"]]
    tiers = sorted(reuse_by_tier["tier"].unique())
    grid = docs.merge(pd.DataFrame({"tier": tiers}), how="cross")
    frame = grid.merge(reuse_by_tier[["doc_id", "tier", "share", "distinctive_share"]], on=["doc_id", "tier"], how="left")
    frame[["share", "distinctive_share"]] = frame[["share", "distinctive_share"]].fillna(0.0)
    frame["year"] = pd.to_datetime(frame["date"]).dt.year
    return frame.sort_values(["doc_id", "tier"]).reset_index(drop=True)


def tier_model(reuse_by_tier: pd.DataFrame, outcome: str = "distinctive_share") -> pd.DataFrame:
    """GEE of `outcome` (percent of the regulation's characters) on tier x level + year, clustered by region."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    frame = tier_frame(reuse_by_tier)
    frame = frame.assign(y=frame[outcome] * 100, year_c=frame["year"] - frame["year"].median())
    if frame["region"].nunique() < 2 or frame["tier"].nunique() < 2:
        return pd.DataFrame(columns=MODEL_COLUMNS)
    formula = "y ~ C(tier, Treatment('central')) * C(level, Treatment('provincial')) + year_c" \
        if frame["level"].nunique() > 1 else "y ~ C(tier, Treatment('central')) + year_c"
    fit = smf.gee(formula, groups="region", data=frame, cov_struct=sm.cov_struct.Exchangeable(),
                  family=sm.families.Gaussian()).fit()
    ci = fit.conf_int()
    return pd.DataFrame({"term": [term_name(t) for t in fit.params.index], "estimate": fit.params.values, "std_error": fit.bse.values,
                         "ci_low": ci[0].values, "ci_high": ci[1].values, "p_value": fit.pvalues.values,
                         "n_obs": int(fit.nobs), "n_clusters": frame["region"].nunique(), "outcome": outcome})[MODEL_COLUMNS]


def placebo_contrast(placebo: pd.DataFrame, documents: pd.DataFrame, n_boot: int = BOOTSTRAP) -> pd.DataFrame:
    """Mean share copied from the own province's same-topic regulation minus the other province's, over
    regulations that have both, with a 95% cluster-bootstrap interval (regions resampled)."""
    wide = placebo.pivot_table(index="doc_id", columns="parent", values="share", aggfunc="max")
    if not {"own_province", "other_province"} <= set(wide.columns):
        return pd.DataFrame(columns=["contrast", "estimate", "ci_low", "ci_high", "n_docs", "n_clusters"])
    wide = wide.dropna(subset=["own_province", "other_province"])
    diff = (wide["own_province"] - wide["other_province"]).rename("diff").to_frame()
    diff = diff.join(documents.set_index("doc_id")["region"])
    groups = [g["diff"].to_numpy() for _, g in diff.groupby("region", sort=True)]
    rng = np.random.default_rng(RANDOM_SEED)
    picks = rng.integers(0, len(groups), size=(n_boot, len(groups)))
    sums = np.array([g.sum() for g in groups])
    counts = np.array([len(g) for g in groups])
    boot = sums[picks].sum(axis=1) / counts[picks].sum(axis=1)
    low, high = np.quantile(boot, [0.025, 0.975]) if len(groups) > 1 else (np.nan, np.nan)
    return pd.DataFrame([{"contrast": "own_province - other_province (share copied)", "estimate": diff["diff"].mean(),
                          "ci_low": low, "ci_high": high, "n_docs": len(diff), "n_clusters": len(groups)}])
