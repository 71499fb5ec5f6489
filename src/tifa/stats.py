"""Stats stage: shares with intervals, diversity, agreement, level tests, count models, keyness.

Five documents cannot separate level from genre, year and region, so every test
here works at the level of documents where it can, and says how small the
reference set is: with one provincial, three municipal and one district
document there are only 5!/(1!·3!·1!) = 20 distinct ways to assign the level
labels, so an exact permutation test can never give p < 1/20 = 0.05.
"""

from __future__ import annotations

import math
import re
import warnings
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy.stats import chi2_contingency
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.proportion import proportion_confint

from tifa.config import DATA_RAW, LEVELS, RANDOM_SEED
from tifa.errors import InputError

N_BOOT = 2000


def rng() -> np.random.Generator:
    return np.random.default_rng(RANDOM_SEED)


def wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return (math.nan, math.nan)
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    return round(float(low), 4), round(float(high), 4)


def doc_order(documents: pd.DataFrame) -> list[str]:
    """Provincial -> municipal -> district, then year, then id."""
    d = documents.assign(_r=documents["level"].map(LEVELS.index))
    return d.sort_values(["_r", "year", "doc_id"])["doc_id"].tolist()


# ------------------------------------------------------------------- attention
def attention(priorities: pd.DataFrame, documents: pd.DataFrame, domains: list[str]) -> pd.DataFrame:
    """Share of each document's priority items (and characters) per domain, Wilson 95% CI on the item share."""
    rows = []
    for doc_id in doc_order(documents):
        items = priorities[priorities["doc_id"] == doc_id]
        n, chars = len(items), int(items["n_chars"].sum())
        level = documents.set_index("doc_id").at[doc_id, "level"]
        for domain in domains:
            sub = items[items["domain"] == domain]
            low, high = wilson(len(sub), n)
            rows.append({"doc_id": doc_id, "level": level, "domain": domain, "n_items": len(sub),
                         "share_items": round(len(sub) / n, 4) if n else None, "ci_low": low, "ci_high": high,
                         "n_chars": int(sub["n_chars"].sum()),
                         "share_chars": round(sub["n_chars"].sum() / chars, 4) if chars else None})
    return pd.DataFrame(rows)


def entropy(counts: np.ndarray, k: int) -> float:
    """Shannon entropy of a count (or share) vector, divided by log(k): 0 = one domain, 1 = even spread over k."""
    counts = np.asarray(counts, dtype=float)
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum() / math.log(k)) if counts.sum() and k > 1 else math.nan


def diversity(attn: pd.DataFrame, k: int) -> pd.DataFrame:
    """Normalised entropy per document, with a Bayesian 95% interval.

    The plug-in entropy of a handful of items is biased, and bootstrap intervals
    (percentile, basic, BCa) either miss it or degenerate when most domains hold one
    item. We therefore draw domain shares from their posterior, Dirichlet(counts + 1/K)
    (a Perks prior of total weight one), and report the median and 2.5/97.5 percentiles
    of the entropy of those draws beside the plug-in value.
    """
    rows = []
    generator = rng()
    for doc_id, g in attn.groupby("doc_id", sort=False):
        counts = g["n_items"].to_numpy()
        if counts.sum() == 0:  # a document without priorities has no attention distribution
            rows.append({"doc_id": doc_id, "level": g["level"].iloc[0], "n_items": 0, "n_domains_used": 0,
                         "entropy_norm": None, "posterior_median": None, "ci_low": None, "ci_high": None})
            continue
        draws = generator.dirichlet(counts + 1 / k, size=N_BOOT)
        values = [entropy(d, k) for d in draws]
        rows.append({"doc_id": doc_id, "level": g["level"].iloc[0], "n_items": int(counts.sum()),
                     "n_domains_used": int((counts > 0).sum()), "entropy_norm": round(entropy(counts, k), 4),
                     "posterior_median": round(float(np.median(values)), 4),
                     "ci_low": round(float(np.percentile(values, 2.5)), 4),
                     "ci_high": round(float(np.percentile(values, 97.5)), 4)})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ level tests
MAX_EXACT = 5000      # enumerate every assignment up to this many, else sample
N_MONTE_CARLO = 4999


def n_assignments(levels: list[str]) -> int:
    """Distinct relabellings keeping the number of documents per level (a multinomial coefficient)."""
    total = math.factorial(len(levels))
    for level in set(levels):
        total //= math.factorial(levels.count(level))
    return total


def level_assignments(levels: list[str]) -> list[tuple[str, ...]]:
    """Every distinct relabelling of documents that keeps the number of documents per level."""
    def place(remaining: list[int], counts: dict[str, int]) -> list[dict[int, str]]:
        if not counts:
            return [{}]
        level, k = next(iter(counts.items()))
        rest = {lv: n for lv, n in counts.items() if lv != level}
        out = []
        for chosen in combinations(remaining, k):
            left = [i for i in remaining if i not in chosen]
            for tail in place(left, rest):
                out.append({**{i: level for i in chosen}, **tail})
        return out

    counts = {lv: levels.count(lv) for lv in sorted(set(levels))}
    return sorted(tuple(a[i] for i in range(len(levels))) for a in place(list(range(len(levels))), counts))


def exact_level_test(table: pd.DataFrame, statistic) -> dict:
    """Permutation test across documents: level labels are permuted, documents stay whole.

    Exact (every distinct assignment) when there are at most MAX_EXACT assignments,
    otherwise N_MONTE_CARLO random permutations with p = (1 + #>=) / (1 + N).
    """
    observed_levels = table["level"].tolist()
    observed = statistic(table, observed_levels)
    n_total = n_assignments(observed_levels)
    if n_total <= MAX_EXACT:
        null = [statistic(table, list(a)) for a in level_assignments(observed_levels)]
        p = sum(s >= observed - 1e-12 for s in null) / len(null)
        method, n_used, min_p = "exact", len(null), 1 / len(null)
    else:
        generator = rng()
        null = [statistic(table, list(generator.permutation(observed_levels))) for _ in range(N_MONTE_CARLO)]
        p = (1 + sum(s >= observed - 1e-12 for s in null)) / (1 + N_MONTE_CARLO)
        method, n_used, min_p = "monte_carlo", N_MONTE_CARLO, 1 / (1 + N_MONTE_CARLO)
    return {"statistic": round(observed, 6), "p_value": round(p, 4), "n_assignments": n_used,
            "min_attainable_p": round(min_p, 4), "method": method}


def pooled_chi2(table: pd.DataFrame, levels: list[str]) -> float:
    """Chi-square of the level x domain table pooled over documents carrying `levels`."""
    counts = table.drop(columns=["doc_id", "level"]).to_numpy()
    groups = sorted(set(levels))
    pooled = np.array([counts[[lv == g for lv in levels]].sum(axis=0) for g in groups])
    pooled = pooled[:, pooled.sum(axis=0) > 0]
    return float(chi2_contingency(pooled, correction=False)[0])


def attention_level_test(attn: pd.DataFrame) -> pd.DataFrame:
    wide = attn.pivot_table(index=["doc_id", "level"], columns="domain", values="n_items", aggfunc="sum",
                            fill_value=0, sort=False).reset_index()
    wide.columns.name = None
    exact = exact_level_test(wide, pooled_chi2)
    counts = wide.drop(columns=["doc_id", "level"])
    pooled = counts.groupby(wide["level"]).sum()
    pooled = pooled.loc[:, pooled.sum() > 0]
    chi2, p_naive, dof, _ = chi2_contingency(pooled.to_numpy(), correction=False)
    return pd.DataFrame([
        {"test": "exact permutation of level labels across documents", "unit": "document",
         "statistic_name": "pooled chi-square (level x domain)", **exact,
         "note": "documents kept whole; p cannot fall below min_attainable_p"},
        {"test": "naive chi-square, items treated as independent", "unit": "priority item",
         "statistic_name": f"chi-square, df={dof}", "statistic": round(float(chi2), 6),
         "p_value": round(float(p_naive), 4), "n_assignments": None, "min_attainable_p": None,
         "method": "asymptotic", "note": "ignores clustering of items in documents and the level/genre/year confound: overstates evidence"},
    ])


# ------------------------------------------------------------------- agreement
def agreement(auto: pd.DataFrame, hand: pd.DataFrame, domains: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cohen's kappa (statsmodels, 95% CI) between automatic and hand-coded domains."""
    merged = auto.merge(hand, on=["doc_id", "item_seq"], how="outer", suffixes=("_auto", "_hand"), indicator=True)
    unmatched = merged[merged["_merge"] != "both"]
    both = merged[merged["_merge"] == "both"]
    codes = [d for d in domains if d in set(both["domain_auto"]) | set(both["domain_hand"])]
    index = {d: i for i, d in enumerate(codes)}
    table = np.zeros((len(codes), len(codes)))
    for a, h in zip(both["domain_auto"], both["domain_hand"]):
        table[index[a], index[h]] += 1
    result = cohens_kappa(table)
    summary = pd.DataFrame([{
        "n_items": len(both), "n_unmatched": len(unmatched), "n_agree": int(np.trace(table)),
        "percent_agreement": round(float(np.trace(table) / table.sum()), 4),
        "kappa": round(float(result.kappa), 4), "kappa_se": round(float(result.std_kappa), 4),
        "ci_low": round(float(result.kappa_low), 4), "ci_high": round(float(result.kappa_upp), 4),
        "title_matches": int((both["title_auto"] == both["title_hand"]).sum()),
        "unit_items": int((both["lead_units_hand"] != "").sum()),
        "lead_units_matches": int(((both["lead_units_hand"] != "") & (both["lead_units_auto"] == both["lead_units_hand"])).sum()),
        "responsible_units_matches": int(((both["lead_units_hand"] != "")
                                          & (both["responsible_units_auto"] == both["responsible_units_hand"])).sum()),
    }])
    disagreements = both[both["domain_auto"] != both["domain_hand"]][
        ["doc_id", "item_seq", "item_id", "title_auto", "domain_auto", "domain_hand", "domain_keywords", "notes"]
    ].rename(columns={"title_auto": "title", "notes": "hand_notes"})
    return summary, disagreements.reset_index(drop=True)


# --------------------------------------------------------------------- framing
def bootstrap_ci(values: np.ndarray, weights: np.ndarray, generator: np.random.Generator) -> tuple[float, float]:
    """Percentile CI of sum(values)/sum(weights), resampling sentences."""
    n = len(values)
    idx = generator.integers(0, n, size=(N_BOOT, n))
    stats = values[idx].sum(axis=1) / np.maximum(weights[idx].sum(axis=1), 1)
    return float(np.percentile(stats, 2.5)), float(np.percentile(stats, 97.5))


def framing_density(sentences: pd.DataFrame, hits: pd.DataFrame, lexicon: pd.DataFrame,
                    documents: pd.DataFrame) -> pd.DataFrame:
    """Hits per 10,000 characters and the share of text in sentences with ideological framing,
    each with a bootstrap 95% interval over sentences."""
    ideological = set(lexicon.loc[lexicon["category"] == "ideology_party", "formulation_id"])
    generator = rng()
    rows = []
    for doc_id in doc_order(documents):
        s = sentences[sentences["doc_id"] == doc_id]
        h = hits[hits["doc_id"] == doc_id]
        n_hits = h.groupby("sent_id").size().reindex(s["sent_id"], fill_value=0).to_numpy(float)
        ideo_sents = set(h.loc[h["formulation_id"].isin(ideological), "sent_id"])
        chars = s["n_chars"].to_numpy(float)
        ideo_chars = np.where(s["sent_id"].isin(ideo_sents), chars, 0.0)
        d_low, d_high = bootstrap_ci(n_hits * 10_000, chars, generator)
        i_low, i_high = bootstrap_ci(ideo_chars, chars, generator)
        doc = documents.set_index("doc_id").loc[doc_id]
        rows.append({
            "doc_id": doc_id, "level": doc["level"], "year": int(doc["year"]), "genre": doc["genre"],
            "n_sentences": len(s), "n_chars": int(chars.sum()), "n_hits": int(n_hits.sum()),
            "n_formulations": h["formulation_id"].nunique(),
            "hits_per_10k": round(n_hits.sum() / chars.sum() * 10_000, 3),
            "hits_ci_low": round(d_low, 3), "hits_ci_high": round(d_high, 3),
            "ideological_share": round(ideo_chars.sum() / chars.sum(), 4),
            "ideological_ci_low": round(i_low, 4), "ideological_ci_high": round(i_high, 4),
        })
    return pd.DataFrame(rows)


def section_counts(sections: pd.DataFrame, hits: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Hits and length per section: the unit of the count model."""
    rows = []
    meta = documents.set_index("doc_id")
    for sec in sections.itertuples():
        h = hits[(hits["doc_id"] == sec.doc_id) & (hits["start"] >= sec.start) & (hits["start"] < sec.end)]
        length = sec.end - sec.start
        if length < 20:
            continue
        rows.append({"doc_id": sec.doc_id, "section_id": sec.section_id, "role": sec.role,
                     "level": meta.at[sec.doc_id, "level"], "genre": meta.at[sec.doc_id, "genre"],
                     "year": int(meta.at[sec.doc_id, "year"]), "n_chars": length, "n_hits": len(h)})
    return pd.DataFrame(rows)


def count_model(units: pd.DataFrame) -> pd.DataFrame:
    """Poisson (quasi-likelihood scale) and negative-binomial GLMs of hits per section with a
    log-length offset. Level is the covariate of interest (reference: municipal); year and genre
    are added only while the model has fewer parameters than documents, because every covariate
    is constant within a document. Standard errors treat sections as independent: sections are
    nested in five documents, so the intervals are too narrow and the permutation test across
    documents is the yardstick."""
    units = units.assign(log_chars=np.log(units["n_chars"]), year_2023=(units["year"] == 2023).astype(int),
                         level=pd.Categorical(units["level"], categories=[lv for lv in LEVELS if lv in set(units["level"])]))
    formulas = {"level": "n_hits ~ C(level, Treatment('municipal'))",
                "level + year": "n_hits ~ C(level, Treatment('municipal')) + year_2023",
                "level + year + genre": "n_hits ~ C(level, Treatment('municipal')) + year_2023 + C(genre)"}
    n_docs = units["doc_id"].nunique()
    rows = []
    for family_name, family, scale in (("poisson", sm.families.Poisson(), "X2"),
                                       ("negative_binomial", sm.families.NegativeBinomial(alpha=1.0), None)):
        for label, formula in formulas.items():
            design = smf.glm(formula, units, offset=units["log_chars"], family=family)
            rank, n_params = np.linalg.matrix_rank(design.exog), design.exog.shape[1]
            base = {"model": family_name, "covariates": label, "n_sections": len(units), "n_docs": n_docs}
            if rank < n_params or n_params >= n_docs:
                rows.append({**base, "term": "(not identified)", "coef": None, "se": None, "p_value": None,
                             "ci_low": None, "ci_high": None, "rate_ratio": None,
                             "note": f"{n_params} parameters for {n_docs} documents (design rank {rank}): "
                                     "document-level covariates cannot be separated; not estimated"})
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = design.fit(scale=scale)
            ci = fit.conf_int()
            for term in fit.params.index:
                rows.append({**base, "term": _term(term), "coef": round(float(fit.params[term]), 4),
                             "se": round(float(fit.bse[term]), 4), "p_value": round(float(fit.pvalues[term]), 4),
                             "ci_low": round(float(np.exp(ci.loc[term, 0])), 4),
                             "ci_high": round(float(np.exp(ci.loc[term, 1])), 4),
                             "rate_ratio": round(float(np.exp(fit.params[term])), 4),
                             "note": "sections treated as independent (nested in 5 documents): intervals too narrow"})
    return pd.DataFrame(rows, columns=MODEL_COLUMNS)


MODEL_COLUMNS = ["model", "covariates", "term", "coef", "se", "p_value", "ci_low", "ci_high", "rate_ratio",
                 "n_sections", "n_docs", "note"]


def _term(term: str) -> str:
    return term.replace("C(level, Treatment('municipal'))", "level").replace("C(genre)", "genre")


def density_level_test(density: pd.DataFrame) -> pd.DataFrame:
    """Exact permutation test: does framing density differ between levels more than chance relabelling?"""
    def between_levels(table, levels):
        values = table["hits_per_10k"].to_numpy()
        grand = values.mean()
        return float(sum(values[[lv == g for lv in levels]].size * (values[[lv == g for lv in levels]].mean() - grand) ** 2
                         for g in set(levels)))

    out = []
    for column in ("hits_per_10k", "ideological_share"):
        table = density[["doc_id", "level", column]].rename(columns={column: "hits_per_10k"})
        out.append({"outcome": column, "statistic_name": "between-level sum of squares",
                    **exact_level_test(table, between_levels)})
    return pd.DataFrame(out)


# ------------------------------------------------------------------- keyness
def keyness(tokens: pd.DataFrame, min_count: int = 3, top: int = 30) -> pd.DataFrame:
    """Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008)
    and log-likelihood G2, each level against all other levels."""
    counts = tokens.groupby(["level", "token"]).size().unstack(fill_value=0)
    total = counts.sum(axis=0)
    alpha0 = 1000.0
    prior = alpha0 * total / total.sum()
    rows = []
    for level in [lv for lv in LEVELS if lv in counts.index]:
        y_i = counts.loc[level]
        y_j = counts.drop(index=level).sum(axis=0)
        n_i, n_j = y_i.sum(), y_j.sum()
        delta = (np.log((y_i + prior) / (n_i + alpha0 - y_i - prior))
                 - np.log((y_j + prior) / (n_j + alpha0 - y_j - prior)))
        var = 1 / (y_i + prior) + 1 / (y_j + prior)
        z = delta / np.sqrt(var)
        e_i = n_i * (y_i + y_j) / (n_i + n_j)
        e_j = n_j * (y_i + y_j) / (n_i + n_j)
        with np.errstate(divide="ignore", invalid="ignore"):
            g2 = 2 * (np.where(y_i > 0, y_i * np.log(y_i / e_i), 0) + np.where(y_j > 0, y_j * np.log(y_j / e_j), 0))
        g2 = pd.Series(g2, index=counts.columns) * np.sign(y_i / n_i - y_j / n_j)
        frame = pd.DataFrame({"level": level, "token": counts.columns, "count_level": y_i.values,
                              "count_other": y_j.values, "log_odds_z": z.round(4).values, "g2_signed": g2.round(4).values})
        frame = frame[frame["count_level"] >= min_count].sort_values(["log_odds_z", "token"], ascending=[False, True])
        frame["rank"] = range(1, len(frame) + 1)
        rows.append(frame.head(top))
    return pd.concat(rows, ignore_index=True)


def token_table(sentences: pd.DataFrame, documents: pd.DataFrame, raw_dir: Path = DATA_RAW) -> pd.DataFrame:
    from tifa.tokens import tokenizer

    tok = tokenizer(raw_dir)
    level = documents.set_index("doc_id")["level"]
    rows = []
    for s in sentences.itertuples():
        for t in tok.tokens(s.text):
            if len(t) >= 2 and not any(c.isdigit() for c in t) and "×" not in t and "*" not in t:
                rows.append((s.doc_id, level[s.doc_id], t))
    return pd.DataFrame(rows, columns=["doc_id", "level", "token"])


# ---------------------------------------------------------------- validation
def unit_key(unit: str) -> str:
    """Units compared without a leading 个 or a parenthetical: 个百分点 = 百分点, 件（起） = 件."""
    return re.sub(r"（.*?）|\(.*?\)", "", unit).removeprefix("个")


def achievement_recall(auto: pd.DataFrame, hand: pd.DataFrame) -> pd.DataFrame:
    """Which hand-coded numeric claims the extractor found with the same value and unit.

    A hand-coded claim is found when an automatic row of the same document has
    the same value as written (masks compared as masks) and the same unit (`unit_key`), and
    the hand-coded snippet lies in the automatic row's sentence.
    """
    numeric = hand[hand["kind"].isin(["count", "money", "percent", "change"]) & (hand["value"].fillna("") != "")]
    auto = auto.assign(unit_key=auto["unit"].fillna("").map(unit_key))
    rows = []
    for h in numeric.itertuples():
        candidates = auto[(auto["doc_id"] == h.doc_id) & (auto["value"].astype(str) == str(h.value))
                          & (auto["unit_key"] == unit_key(h.unit if isinstance(h.unit, str) else ""))]
        snippet = str(h.text_snippet)
        in_sentence = candidates[[snippet in t or t in snippet for t in candidates["text"]]] if len(candidates) else candidates
        found = in_sentence if len(in_sentence) else candidates
        rows.append({"doc_id": h.doc_id, "claim_seq": h.claim_seq, "value": h.value, "unit": h.unit,
                     "masked": str(h.masked).lower() == "true", "kind_hand": h.kind,
                     "found": len(found) > 0, "achievement_id": found["achievement_id"].iloc[0] if len(found) else "",
                     "kind_auto": found["kind"].iloc[0] if len(found) else "",
                     "masked_flag_ok": bool(found["masked"].iloc[0]) == (str(h.masked).lower() == "true") if len(found) else None,
                     "text_snippet": snippet, "hand_notes": h.notes if isinstance(h.notes, str) else ""})
    return pd.DataFrame(rows)


def read_annotation(name: str, path: Path) -> pd.DataFrame:
    """A hand-coded table, checked against its schema (empty text cells as empty strings)."""
    from tifa.schemas import validate

    try:
        table = validate(name, pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]))
    except InputError as exc:
        raise InputError(path, exc.problem) from None
    text_columns = table.select_dtypes(include=["object", "string"]).columns
    return table.fillna({c: "" for c in text_columns})


def tables(t: dict[str, pd.DataFrame], raw_dir: Path = DATA_RAW) -> dict[str, pd.DataFrame]:
    """Statistics tables computed from the corpus tables (all written to data/processed/)."""
    from tifa.load import read_codebook
    from tifa.frames import lexicon

    documents = t["documents"]
    domains = read_codebook(raw_dir)["domain"].tolist()
    out: dict[str, pd.DataFrame] = {}
    attn = attention(t["priorities"], documents, domains)
    out["attention"] = attn
    out["diversity"] = diversity(attn, len(domains))
    out["attention_level_test"] = attention_level_test(attn)
    hand_path = raw_dir / "annotations" / "priority_domains_handcoded.csv"
    if hand_path.exists():
        hand = read_annotation("priority_domains_handcoded", hand_path)
        auto = t["priorities"][["doc_id", "item_seq", "item_id", "title", "domain", "domain_keywords",
                                "lead_units", "responsible_units"]].fillna({"lead_units": "", "responsible_units": ""})
        if not set(hand["doc_id"]) & set(auto["doc_id"]):
            raise InputError(hand_path, "no doc_id in common with the corpus; remove the file or code these documents")
        out["agreement"], out["disagreements"] = agreement(auto, hand[["doc_id", "item_seq", "title", "domain", "lead_units", "responsible_units", "notes"]], domains)
    ach_path = raw_dir / "annotations" / "achievements_handcoded.csv"
    if ach_path.exists():
        out["achievement_recall"] = achievement_recall(t["achievements"], read_annotation("achievements_handcoded", ach_path))
    lex = lexicon(raw_dir)
    counts_path = raw_dir / "annotations" / "formulation_counts_handcoded.csv"
    if counts_path.exists():
        out["frame_validation"] = frame_validation(t["frame_by_doc"], read_annotation("formulation_counts_handcoded", counts_path))
    density = framing_density(t["sentences"], t["frame_hits"], lex, documents)
    out["framing_density"] = density
    out["density_level_test"] = density_level_test(density)
    units = section_counts(t["sections"], t["frame_hits"], documents)
    out["section_counts"] = units
    out["model_estimates"] = count_model(units)
    out["keyness"] = keyness(token_table(t["sentences"], documents, raw_dir))
    return out


def frame_validation(frame_by_doc: pd.DataFrame, hand: pd.DataFrame) -> pd.DataFrame:
    """Automatic vs hand counts for every document x formulation pair either side found."""
    auto = frame_by_doc[["doc_id", "formulation_id", "count"]].rename(columns={"count": "count_auto"})
    hand = hand[["doc_id", "formulation_id", "count", "notes"]].rename(columns={"count": "count_hand", "notes": "hand_notes"})
    hand = hand.assign(count_hand=pd.to_numeric(hand["count_hand"]).astype(int))
    merged = auto.merge(hand, on=["doc_id", "formulation_id"], how="outer")
    merged["count_auto"] = merged["count_auto"].fillna(0).astype(int)
    merged["count_hand"] = merged["count_hand"].fillna(0).astype(int)
    merged = merged[(merged["count_auto"] > 0) | (merged["count_hand"] > 0)]
    merged["difference"] = merged["count_auto"] - merged["count_hand"]
    merged["hand_notes"] = merged["hand_notes"].fillna("")
    return merged.sort_values(["doc_id", "formulation_id"]).reset_index(drop=True)
