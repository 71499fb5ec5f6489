"""Stats stage: attention shares with intervals, diversity, level tests with their power, count models, keyness.

A handful of documents cannot separate level from genre, year and region, so
every test here works at the level of documents where it can and says how
little it can show: with one provincial, three municipal and one district
document there are only 5!/(1!·3!·1!) = 20 distinct ways to assign the level
labels, so an exact permutation test can never give p < 1/20. Each level test
therefore reports the smallest effect it could detect with these documents,
and a null result reads "cannot tell apart with n = N", never "no difference".

Statistics that cannot be computed on a corpus (one level, no priorities, too
few documents) give a row with status 'skipped' and the reason, never an
exception. Central reference texts (level `central`) are a baseline for
framing only: attention, diversity and the level tests use local documents.
"""

from __future__ import annotations

import math
from collections import Counter
import warnings
from itertools import combinations

import numpy as np
import pandas as pd
from statsmodels.genmod import families  # not statsmodels.api, which imports every model
import statsmodels.formula.api as smf
from scipy.stats import chi2_contingency
from statsmodels.stats.proportion import proportion_confint

from tifa.config import LEVELS, RANDOM_SEED, document_rng
from tifa.rows import map_batches, row_ranges
from tifa.stages.frames import central_rule_hits
from tifa.text.tokens import word_counts

N_BOOT = 2000
ALPHA = 0.05
LOCAL = [lv for lv in LEVELS if lv != "central"]


def rng() -> np.random.Generator:
    return np.random.default_rng(RANDOM_SEED)


def local(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents issued below the centre: the ones whose priorities and levels are compared."""
    return documents[documents["level"] != "central"]


def level_counts(levels) -> str:
    """'provincial:1; municipal:3; district:1': the design of a level comparison."""
    levels = list(levels)
    return "; ".join(f"{lv}:{levels.count(lv)}" for lv in LEVELS if lv in levels)


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson 95% interval of k successes in n, to four decimals (NaN without trials)."""
    low, high = wilson_each([k], [n])
    return low[0], high[0]


def wilson_each(k: np.ndarray, n: np.ndarray) -> tuple[list[float], list[float]]:
    """`wilson` of many proportions in one call."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    empty = n == 0
    low, high = proportion_confint(k, np.where(empty, 1.0, n), alpha=0.05, method="wilson")
    return ([math.nan if e else round(float(v), 4) for v, e in zip(np.atleast_1d(low), empty)],
            [math.nan if e else round(float(v), 4) for v, e in zip(np.atleast_1d(high), empty)])


def doc_order(documents: pd.DataFrame) -> list[str]:
    """Provincial -> municipal -> district, then year, then id."""
    d = documents.assign(_r=documents["level"].map(LEVELS.index))
    return d.sort_values(["_r", "year", "doc_id"])["doc_id"].tolist()


# ------------------------------------------------------------------- attention
def attention(priorities: pd.DataFrame, documents: pd.DataFrame, domains: list[str]) -> pd.DataFrame:
    """Share of each local document's priority items (and characters) per domain, Wilson 95% CI on the item share."""
    documents = local(documents)
    order = doc_order(documents)
    level = documents.set_index("doc_id")["level"]
    items = priorities[priorities["doc_id"].isin(order)]
    grid = pd.MultiIndex.from_product([order, domains], names=["doc_id", "domain"])
    per_domain = items.groupby(["doc_id", "domain"])["n_chars"].agg(["size", "sum"]).reindex(grid, fill_value=0)
    per_doc = items.groupby("doc_id")["n_chars"].agg(["size", "sum"]).reindex(order, fill_value=0)
    doc_ids = grid.get_level_values("doc_id")
    k, k_chars = per_domain["size"].to_numpy(), per_domain["sum"].to_numpy()
    n, chars = per_doc["size"].reindex(doc_ids).to_numpy(), per_doc["sum"].reindex(doc_ids).to_numpy()
    low, high = wilson_each(k, n)
    rows = {"doc_id": list(doc_ids), "level": level.reindex(doc_ids).tolist(),
            "domain": list(grid.get_level_values("domain")), "n_items": k.astype(int),
            "share_items": [round(a / b, 4) if b else None for a, b in zip(k.tolist(), n.tolist())],
            "ci_low": low, "ci_high": high, "n_chars": k_chars.astype(int),
            "share_chars": [round(a / b, 4) if b else None for a, b in zip(k_chars.tolist(), chars.tolist())]}
    return pd.DataFrame(rows, columns=["doc_id", "level", "domain", "n_items", "share_items", "ci_low", "ci_high",
                                       "n_chars", "share_chars"])


def entropy(counts: np.ndarray, k: int) -> float:
    """Shannon entropy of a count (or share) vector divided by log(k): 0 = one domain, 1 = even over k.

    Callers pass k = min(K domains, n items) (see `diversity`)."""
    counts = np.asarray(counts, dtype=float)
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum() / math.log(k)) if counts.sum() and k > 1 else math.nan


def entropies(rows: np.ndarray, k: int) -> np.ndarray:
    """`entropy` of every row of a matrix at once (the same arithmetic, row by row)."""
    p = rows / rows.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return -terms.sum(axis=1) / math.log(k)


def diversity(attn: pd.DataFrame, k: int, mapper=map) -> pd.DataFrame:
    """Normalised entropy of each document's domain distribution, with a Bayesian 95% interval.

    Normalisation: H / log(min(K, n)). A document with n items can touch at most n
    of the K domains, so dividing by log(K) caps a 6-item document at
    log 6 / log 24 = 0.56 and ranks it least diverse for being short; dividing by
    log(min(K, n)) measures how evenly the items spread over the domains they
    could reach (1 = every item in a different domain). We prefer this to an
    n-corrected entropy estimator (Miller-Madow, Chao-Shen): with 6-22 items in 24
    domains those corrections are larger than the differences being compared.

    Estimator: domain shares drawn from their posterior Dirichlet(counts + 1/K)
    (Perks prior of total weight one); the point estimate (`posterior_median`) and
    the interval (2.5/97.5 percentiles) both come from these draws, each draw's
    entropy normalised the same way and capped at 1 (the most even spread n items
    allow). `entropy_norm` is the plug-in value for description only. Documents with
    fewer than two items have no diversity: status 'skipped'.
    """
    if attn.empty:
        return pd.DataFrame(columns=DIVERSITY_COLUMNS)
    counts_all, levels = attn["n_items"].to_numpy(), attn["level"].tolist()
    items = [(doc_id, levels[a], counts_all[a:b], k) for doc_id, (a, b) in row_ranges(attn["doc_id"]).items()]
    return pd.DataFrame(map_batches(_diversity_row, items, mapper), columns=DIVERSITY_COLUMNS)


def _diversity_row(doc_id: str, level: str, counts: np.ndarray, k: int) -> dict:
    """`diversity` of one document (its draws come from its own generator)."""
    n = int(counts.sum())
    k_norm = min(k, n)
    base = {"doc_id": doc_id, "level": level, "n_items": n, "n_domains_used": int((counts > 0).sum()), "k_norm": k_norm}
    if k_norm < 2:
        return {**base, "entropy_norm": None, "posterior_median": None, "ci_low": None, "ci_high": None,
                "status": "skipped", "reason": f"{n} priority item(s): diversity needs at least two"}
    draws = document_rng(doc_id).dirichlet(counts + 1 / k, size=N_BOOT)
    values = np.minimum(entropies(draws, k_norm), 1.0)
    return {**base, "entropy_norm": round(entropy(counts, k_norm), 4),
            "posterior_median": round(float(np.median(values)), 4),
            "ci_low": round(float(np.percentile(values, 2.5)), 4),
            "ci_high": round(float(np.percentile(values, 97.5)), 4), "status": "ok", "reason": ""}


DIVERSITY_COLUMNS = ["doc_id", "level", "n_items", "n_domains_used", "k_norm", "entropy_norm", "posterior_median",
                     "ci_low", "ci_high", "status", "reason"]


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


def numeric(table) -> np.ndarray:
    """The outcome columns of a level-test table as floats (everything but doc_id and level).

    The statistics take this array, so a permutation or simulation converts its table once,
    not once per relabelling."""
    if isinstance(table, np.ndarray):
        return table
    return table.drop(columns=["doc_id", "level"]).to_numpy(dtype=float)


def level_codes(levels) -> np.ndarray:
    """Level labels as integers in the labels' sorted order: statistics compare groups, not names, and
    integers make the thousands of relabellings of a permutation test cheap. Codes pass through."""
    levels = np.asarray(levels)
    if levels.dtype.kind in "iu":
        return levels
    return np.unique(levels.astype(str), return_inverse=True)[1].astype(np.int64)


def exact_level_test(table: pd.DataFrame, statistic) -> dict:
    """Permutation test across documents: level labels are permuted, documents stay whole.

    `statistic(x, levels)` receives the outcome columns as an array (documents x
    outcomes, see `numeric`) and one assignment of level labels (as `level_codes`).

    Exact (every distinct assignment) when there are at most MAX_EXACT assignments,
    otherwise N_MONTE_CARLO random permutations with p = (1 + #>=) / (1 + N).
    """
    observed_levels = table["level"].tolist()
    codes = level_codes(observed_levels)
    data = numeric(table)
    observed = statistic(data, codes)
    n_total = n_assignments(observed_levels)
    if n_total <= MAX_EXACT:
        null = [statistic(data, np.array(a)) for a in level_assignments(codes.tolist())]
        p = sum(s >= observed - 1e-12 for s in null) / len(null)
        method, n_used, min_p = "exact", len(null), 1 / len(null)
    else:
        generator = rng()
        null = [statistic(data, generator.permutation(codes)) for _ in range(N_MONTE_CARLO)]
        p = (1 + sum(s >= observed - 1e-12 for s in null)) / (1 + N_MONTE_CARLO)
        method, n_used, min_p = "monte_carlo", N_MONTE_CARLO, 1 / (1 + N_MONTE_CARLO)
    return {"statistic": round(observed, 6), "p_value": round(p, 4), "n_assignments": n_used,
            "min_attainable_p": round(min_p, 4), "method": method}


N_POWER_SIM = 100     # simulated corpora per effect size
N_POWER_PERM = 99     # relabellings per simulated corpus when the design is too large to enumerate
POWER = 0.8


def detectable_effect(table: pd.DataFrame, statistic, simulate, grid: list[float]) -> float | None:
    """Smallest effect in `grid` that the permutation test detects (p <= ALPHA) in at least
    80% of corpora simulated with this design (same documents per level, same sizes).

    `simulate(effect, generator)` returns a table like `table`, or its outcome array (as
    `numeric` gives). None when no effect in
    the grid reaches 80% power, or when no relabelling can give p <= ALPHA at all.
    """
    levels = level_codes(table["level"].tolist())
    if n_assignments(table["level"].tolist()) <= MAX_EXACT:
        assignments, exact = [np.array(a) for a in level_assignments(levels.tolist())], True
    else:
        generator = rng()
        assignments, exact = [generator.permutation(levels) for _ in range(N_POWER_PERM)], False
    if (1 / len(assignments) if exact else 1 / (1 + len(assignments))) > ALPHA:
        return None
    generator = rng()
    for effect in grid:
        rejected, needed = 0, math.ceil(POWER * N_POWER_SIM)
        for done in range(N_POWER_SIM):
            if rejected >= needed or rejected + (N_POWER_SIM - done) < needed:
                break  # the verdict for this effect is already settled
            sim = numeric(simulate(effect, generator))
            observed = statistic(sim, levels)
            n_ge = sum(statistic(sim, a) >= observed - 1e-12 for a in assignments)
            p = n_ge / len(assignments) if exact else (1 + n_ge) / (1 + len(assignments))
            rejected += p <= ALPHA
        if rejected >= needed:
            return effect
    return None


def _positions(levels: list[str]) -> np.ndarray:
    """Each document's level placed evenly on [0, 1], top level 0, bottom level 1."""
    present = [lv for lv in LEVELS if lv in set(levels)]
    step = 1 / (len(present) - 1)
    return np.array([present.index(lv) * step for lv in levels])


def pooled_chi2(table: pd.DataFrame, levels: list[str]) -> float:
    """Chi-square of the level x domain table pooled over documents carrying `levels`.

    Levels or domains with no items are dropped first (a relabelling may put a level
    on documents without priorities); fewer than two of either gives 0.
    """
    counts = numeric(table)
    labels = level_codes(levels)
    # level x domain sums (counts are whole numbers, so any order of summation gives the same floats)
    pooled = np.stack([counts[labels == code].sum(axis=0) for code in range(labels.max() + 1)]) if len(labels) \
        else np.zeros((0, counts.shape[1]))
    pooled = pooled[pooled.sum(axis=1) > 0][:, pooled.sum(axis=0) > 0]
    if pooled.shape[0] < 2 or pooled.shape[1] < 2:
        return 0.0
    # Pearson's statistic without continuity correction (= scipy's chi2_contingency(correction=False)),
    # written out because the power simulation calls it tens of thousands of times
    expected = pooled.sum(axis=1, keepdims=True) * pooled.sum(axis=0, keepdims=True) / pooled.sum()
    return float(((pooled - expected) ** 2 / expected).sum())


LEVEL_TEST_COLUMNS = ["test", "unit", "statistic_name", "statistic", "p_value", "n_assignments", "min_attainable_p",
                      "method", "n_docs", "design", "detectable_effect", "effect_unit", "status", "reason",
                      "conclusion", "note"]


def _skip_reason(levels: list[str], what: str) -> str:
    present = sorted(set(levels), key=LEVELS.index)
    if len(present) < 2:
        return f"{len(levels)} {what} at {len(present)} level(s) ({level_counts(levels) or 'none'}): nothing to compare"
    return ""


def _conclusion(p: float, n_docs: int, effect: float | None, unit: str) -> str:
    if p <= ALPHA:
        return f"levels differ more than relabelling documents produces (p = {p:.2f}, n = {n_docs}); level is confounded with genre, year and region"
    power = (f"only effects of at least {effect:g} {unit} would be detected with 80% power" if effect is not None
             else "even the largest simulated effect is detected in fewer than 80% of simulated corpora")
    return f"cannot tell levels apart with n = {n_docs}: {power}"


def attention_level_test(attn: pd.DataFrame) -> pd.DataFrame:
    """Does attention over domains differ by level? Exact permutation across documents (with its power),
    and the naive item-level chi-square for contrast.

    Documents without priorities have no attention distribution and are left out.
    Power: the share of a level's items moved into one domain, growing evenly from
    the top level (0) to the bottom level (the effect), other documents drawn from
    the pooled shares with their own numbers of items.
    """
    wide = attn.pivot_table(index=["doc_id", "level"], columns="domain", values="n_items", aggfunc="sum",
                            fill_value=0, sort=False).reset_index() if len(attn) else pd.DataFrame(columns=["doc_id", "level"])
    wide.columns.name = None
    counts = wide.drop(columns=["doc_id", "level"])
    wide = wide[counts.sum(axis=1).to_numpy() > 0].reset_index(drop=True)
    counts = wide.drop(columns=["doc_id", "level"])
    levels = wide["level"].tolist()
    names = {"test": "exact permutation of level labels across documents", "unit": "document",
             "statistic_name": "pooled chi-square (level x domain)"}
    naive = {"test": "naive chi-square, items treated as independent", "unit": "priority item"}
    reason = _skip_reason(levels, "documents with priorities")
    if reason:
        empty = {"statistic": None, "p_value": None, "n_assignments": None, "min_attainable_p": None, "method": None,
                 "n_docs": len(wide), "design": level_counts(levels), "detectable_effect": None,
                 "effect_unit": "", "status": "skipped", "reason": reason, "conclusion": "", "note": ""}
        return pd.DataFrame([{**names, **empty}, {**naive, "statistic_name": "chi-square", **empty}],
                            columns=LEVEL_TEST_COLUMNS)
    exact = exact_level_test(wide, pooled_chi2)
    shares = counts.sum().to_numpy(float) / counts.to_numpy().sum()
    sizes, position = counts.sum(axis=1).to_numpy(int), _positions(levels)
    target = int(np.argmin(shares))

    def simulate(effect, generator):
        """Documents x domains counts (as `numeric`): one multinomial draw per document, all in one call."""
        p = (1 - effect * position)[:, None] * shares[None, :]
        p[:, target] += effect * position
        return generator.multinomial(sizes, p).astype(float)

    effect = detectable_effect(wide, pooled_chi2, simulate, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0])
    unit = "share of a level's items moved into one domain (top to bottom level)"
    pooled = counts.groupby(wide["level"]).sum()
    pooled = pooled.loc[:, pooled.sum() > 0]
    if pooled.shape[1] < 2:  # every item in one domain: nothing to test at the item level either
        chi2, p_naive, dof = 0.0, 1.0, 0
    else:
        chi2, p_naive, dof, _ = chi2_contingency(pooled.to_numpy(), correction=False)
    common = {"n_docs": len(wide), "design": level_counts(levels), "status": "ok", "reason": ""}
    return pd.DataFrame([
        {**names, **exact, **common, "detectable_effect": effect, "effect_unit": unit,
         "conclusion": _conclusion(exact["p_value"], len(wide), effect, "(share of items moved)"),
         "note": "documents kept whole; p cannot fall below min_attainable_p"},
        {**naive, "statistic_name": f"chi-square, df={dof}", "statistic": round(float(chi2), 6),
         "p_value": round(float(p_naive), 4), "n_assignments": None, "min_attainable_p": None,
         "method": "asymptotic", **common, "detectable_effect": None, "effect_unit": "",
         "conclusion": "not a valid test here (see note)",
         "note": "ignores clustering of items in documents and the level/genre/year confound: overstates evidence"},
    ], columns=LEVEL_TEST_COLUMNS)


# --------------------------------------------------------------------- framing
def bootstrap_ci(values: np.ndarray, weights: np.ndarray, generator: np.random.Generator) -> tuple[float, float]:
    """Percentile CI of sum(values)/sum(weights), resampling sentences."""
    n = len(values)
    idx = generator.integers(0, n, size=(N_BOOT, n))
    stats = values[idx].sum(axis=1) / np.maximum(weights[idx].sum(axis=1), 1)
    return float(np.percentile(stats, 2.5)), float(np.percentile(stats, 97.5))


def framing_density(sentences: pd.DataFrame, hits: pd.DataFrame, lexicon: pd.DataFrame,
                    documents: pd.DataFrame, mapper=map, all_hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Hits per 10,000 characters and the share of text in sentences with ideological framing,
    each with a bootstrap 95% interval over sentences (each document resampled with its own
    generator, `config.document_rng`; `mapper` spreads the documents over workers).

    `hits` are counted for density; the ideological share reads `all_hits` (default `hits`), because
    it rests on the reviewed `category`, which rows the central rule added do not have yet."""
    ideological = set(lexicon.loc[lexicon["category"] == "ideology_party", "formulation_id"])
    all_hits = hits if all_hits is None else all_hits
    # per sentence of the corpus: hits, and whether one of them is ideological
    sentence_keys = pd.MultiIndex.from_arrays([sentences["doc_id"], sentences["sent_id"]])
    hits_per_sentence = hits.groupby(["doc_id", "sent_id"]).size().reindex(sentence_keys, fill_value=0).to_numpy(float)
    ideological_hits = all_hits[all_hits["formulation_id"].isin(ideological)]
    ideological_sentence = sentence_keys.isin(pd.MultiIndex.from_arrays([ideological_hits["doc_id"], ideological_hits["sent_id"]]))
    all_chars = sentences["n_chars"].to_numpy(float)
    all_ideo_chars = np.where(ideological_sentence, all_chars, 0.0)
    n_formulations = hits.groupby("doc_id")["formulation_id"].nunique()
    rows_of = row_ranges(sentences["doc_id"])
    meta = documents.set_index("doc_id")[["level", "year", "genre"]].to_dict("index")
    items = []
    for doc_id in doc_order(documents):
        a, b = rows_of.get(doc_id, (0, 0))
        if all_chars[a:b].sum() == 0:  # no text, no density
            continue
        items.append((doc_id, meta[doc_id], all_chars[a:b], hits_per_sentence[a:b], all_ideo_chars[a:b],
                      int(n_formulations.get(doc_id, 0))))
    return pd.DataFrame(map_batches(_density_row, items, mapper))


def _density_row(doc_id: str, doc: dict, chars: np.ndarray, n_hits: np.ndarray, ideo_chars: np.ndarray,
                 n_formulations: int) -> dict:
    """`framing_density` of one document (resampled with its own generator)."""
    generator = document_rng(doc_id)
    d_low, d_high = bootstrap_ci(n_hits * 10_000, chars, generator)
    i_low, i_high = bootstrap_ci(ideo_chars, chars, generator)
    return {
        "doc_id": doc_id, "level": doc["level"], "year": int(doc["year"]), "genre": doc["genre"],
        "n_sentences": len(chars), "n_chars": int(chars.sum()), "n_hits": int(n_hits.sum()),
        "n_formulations": n_formulations,
        "hits_per_10k": round(n_hits.sum() / chars.sum() * 10_000, 3),
        "hits_ci_low": round(d_low, 3), "hits_ci_high": round(d_high, 3),
        "ideological_share": round(ideo_chars.sum() / chars.sum(), 4),
        "ideological_ci_low": round(i_low, 4), "ideological_ci_high": round(i_high, 4),
    }


def section_counts(sections: pd.DataFrame, hits: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Hits and length per section: the unit of the count model."""
    rows = []
    level_of, genre_of, year_of = (dict(zip(documents["doc_id"].tolist(), documents[c].tolist())) for c in ("level", "genre", "year"))
    starts_of = {d: np.sort(g.to_numpy()) for d, g in hits.groupby("doc_id", sort=False)["start"]}
    none = np.zeros(0)
    columns = (sections[c].tolist() for c in ("doc_id", "section_id", "role", "start", "end"))
    for doc_id, section_id, role, start, end in zip(*columns):
        length = end - start
        if length < 20:
            continue
        starts = starts_of.get(doc_id, none)  # hits starting inside the section
        n_hits = int(np.searchsorted(starts, end, "left") - np.searchsorted(starts, start, "left"))
        rows.append({"doc_id": doc_id, "section_id": section_id, "role": role, "level": level_of[doc_id],
                     "genre": genre_of[doc_id], "year": int(year_of[doc_id]), "n_chars": length, "n_hits": n_hits})
    return pd.DataFrame(rows, columns=["doc_id", "section_id", "role", "level", "genre", "year", "n_chars", "n_hits"])


def _between_levels(table: pd.DataFrame, levels: list[str]) -> float:
    """Between-level sum of squares of the outcome (documents weighted equally)."""
    values = numeric(table)[:, 0]
    group = level_codes(levels)
    sizes = np.bincount(group)
    present = sizes > 0
    means = np.bincount(group, weights=values)[present] / sizes[present]
    return float((sizes[present] * (means - values.mean()) ** 2).sum())


def density_level_test(density: pd.DataFrame) -> pd.DataFrame:
    """Exact permutation test across local documents: does framing density (or ideological share)
    differ between levels more than chance relabelling? Central texts are the baseline, not a level
    compared here.

    Power: level means spaced evenly from the top to the bottom level, the effect being
    the distance between them in standard deviations of documents within a level
    (estimated from the data; the pooled SD when no level has two documents).
    """
    density = density[density["level"] != "central"]
    levels = density["level"].tolist()
    out = []
    for column in ("hits_per_10k", "ideological_share"):
        row = {"test": "exact permutation of level labels across documents", "unit": "document",
               "outcome": column, "statistic_name": "between-level sum of squares",
               "n_docs": len(density), "design": level_counts(levels)}
        reason = _skip_reason(levels, "local documents")
        if reason:
            out.append({**row, "status": "skipped", "reason": reason})
            continue
        table = density[["doc_id", "level", column]].rename(columns={column: "value"}).reset_index(drop=True)
        result = exact_level_test(table, _between_levels)
        spread = table.groupby("level")["value"].std().dropna()
        sd = float(np.sqrt((spread ** 2).mean())) if len(spread) else float(table["value"].std())
        position = _positions(levels)

        def simulate(effect, generator, sd=sd, position=position, n=len(table)):
            """The outcome column (as `numeric` gives it) of a simulated corpus."""
            return (effect * sd * position + generator.normal(0, sd or 1.0, n)).astype(float)[:, None]

        effect = detectable_effect(table, _between_levels, simulate, [0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10])
        out.append({**row, **result, "detectable_effect": effect,
                    "effect_unit": "difference between top and bottom level means, in within-level SDs",
                    "status": "ok", "reason": "",
                    "conclusion": _conclusion(result["p_value"], len(table), effect, "within-level SDs")})
    return pd.DataFrame(out, columns=["outcome"] + [c for c in LEVEL_TEST_COLUMNS if c != "note"])


# ------------------------------------------------------------------ count model
MODEL_NOTE = ("small sample: sections are nested in {n} documents but treated as independent, so standard errors, "
              "intervals and p-values are too small; level is confounded with genre, year and region; "
              "the permutation test across documents is the yardstick")


def reference_level(levels) -> str:
    """The level with most documents (ties: higher tier first): the comparison every rate ratio is against."""
    counts = pd.Series(list(levels)).value_counts()
    return min(counts.index, key=lambda lv: (-counts[lv], LEVELS.index(lv)))


def count_model(units: pd.DataFrame) -> pd.DataFrame:
    """Poisson (quasi-likelihood scale) and negative-binomial GLMs of hits per section with a
    log-length offset, on local documents. Level is the covariate of interest; its reference is
    the level present with most documents. Year and genre are added only while the model has
    fewer parameters than documents, because every covariate is constant within a document.
    Standard errors treat sections as independent although they are nested in documents, so
    the intervals are too narrow: every row carries that warning in `note`."""
    units = units[units["level"] != "central"]
    base_cols = {"n_sections": len(units), "n_docs": units["doc_id"].nunique()}
    levels_by_doc = units.drop_duplicates("doc_id")["level"].tolist()
    if len(set(levels_by_doc)) < 2 or base_cols["n_docs"] < 3:
        return pd.DataFrame([{"model": m, "covariates": "level", "term": "(skipped)", **base_cols, "status": "skipped",
                              "reason": f"{base_cols['n_docs']} local document(s) at {len(set(levels_by_doc))} level(s) "
                                        f"({level_counts(levels_by_doc) or 'none'}): no level comparison",
                              "note": ""} for m in ("poisson", "negative_binomial")], columns=MODEL_COLUMNS)
    if not units["n_hits"].any():  # an all-zero outcome has no finite maximum likelihood estimate
        return pd.DataFrame([{"model": m, "covariates": "level", "term": "(skipped)", **base_cols, "status": "skipped",
                              "reason": f"no formulation hit in any of the {base_cols['n_sections']} sections of "
                                        f"{base_cols['n_docs']} local documents: nothing to model",
                              "note": ""} for m in ("poisson", "negative_binomial")], columns=MODEL_COLUMNS)
    reference = reference_level(levels_by_doc)
    level_term = f"C(level, Treatment({reference!r}))"
    years = sorted(set(units["year"].unique().tolist()))
    year_term = f"year_{years[-1]}"  # 1 for the latest year's documents
    units = units.assign(log_chars=np.log(units["n_chars"]), **{year_term: (units["year"] == years[-1]).astype(int)},
                         level=pd.Categorical(units["level"], categories=[lv for lv in LEVELS if lv in set(units["level"].unique())]))
    formulas = {"level": f"n_hits ~ {level_term}"}
    if len(years) > 1:
        formulas["level + year"] = f"n_hits ~ {level_term} + {year_term}"
    if units["genre"].nunique() > 1:
        formulas["level + year + genre"] = f"n_hits ~ {level_term}{' + ' + year_term if len(years) > 1 else ''} + C(genre)"
    n_docs = base_cols["n_docs"]
    note = MODEL_NOTE.format(n=n_docs)
    rows = []
    for family_name, family, scale in (("poisson", families.Poisson(), "X2"),
                                       ("negative_binomial", families.NegativeBinomial(alpha=1.0), None)):
        for label, formula in formulas.items():
            design = smf.glm(formula, units, offset=units["log_chars"], family=family)
            rank, n_params = np.linalg.matrix_rank(design.exog), design.exog.shape[1]
            base = {"model": family_name, "covariates": label, **base_cols}
            if rank < n_params or n_params >= n_docs:
                rows.append({**base, "term": "(not identified)", "status": "skipped",
                             "reason": f"{n_params} parameters for {n_docs} documents (design rank {rank}): "
                                       "document-level covariates cannot be separated; not estimated",
                             "note": note})
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fit = design.fit(scale=scale)
                ci = fit.conf_int()
            except (ValueError, np.linalg.LinAlgError) as exc:  # e.g. no hits at all
                rows.append({**base, "term": "(not estimated)", "status": "skipped", "reason": f"fit failed: {exc}",
                             "note": note})
                continue
            for term in fit.params.index:
                rows.append({**base, "term": _term(term, level_term), "coef": round(float(fit.params[term]), 4),
                             "se": round(float(fit.bse[term]), 4), "p_value": round(float(fit.pvalues[term]), 4),
                             "ci_low": round(float(np.exp(ci.loc[term, 0])), 4),
                             "ci_high": round(float(np.exp(ci.loc[term, 1])), 4),
                             "rate_ratio": round(float(np.exp(fit.params[term])), 4),
                             "reference": reference, "status": "ok", "reason": "", "note": note})
    return pd.DataFrame(rows, columns=MODEL_COLUMNS)


MODEL_COLUMNS = ["model", "covariates", "term", "coef", "se", "p_value", "ci_low", "ci_high", "rate_ratio",
                 "n_sections", "n_docs", "reference", "status", "reason", "note"]


def _term(term: str, level_term: str) -> str:
    return term.replace(level_term, "level").replace("C(genre)", "genre")


# ------------------------------------------------------------------- keyness
KEYNESS_COLUMNS = ["comparison", "level", "token", "english", "count_level", "count_other", "log_odds_z", "g2_signed", "rank",
                   "status", "reason"]
KEYNESS_PRIOR = 1000.0  # total weight of the informative Dirichlet prior (corpus token shares)


def _keyness_rows(y_i: pd.Series, y_j: pd.Series, prior: pd.Series, min_count: int, top: int) -> pd.DataFrame:
    """Weighted log-odds z (Monroe, Colaresi & Quinn 2008) and signed G2 of group i against group j."""
    alpha0 = prior.sum()
    n_i, n_j = y_i.sum(), y_j.sum()
    delta = (np.log((y_i + prior) / (n_i + alpha0 - y_i - prior))
             - np.log((y_j + prior) / (n_j + alpha0 - y_j - prior)))
    z = delta / np.sqrt(1 / (y_i + prior) + 1 / (y_j + prior))
    e_i = n_i * (y_i + y_j) / (n_i + n_j)
    e_j = n_j * (y_i + y_j) / (n_i + n_j)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * (np.where(y_i > 0, y_i * np.log(y_i / e_i), 0) + np.where(y_j > 0, y_j * np.log(y_j / e_j), 0))
    g2 = pd.Series(g2, index=y_i.index) * np.sign(y_i / n_i - y_j / n_j)
    frame = pd.DataFrame({"token": y_i.index, "count_level": y_i.values, "count_other": y_j.values,
                          "log_odds_z": z.round(4).values, "g2_signed": g2.round(4).values})
    frame = frame[frame["count_level"] >= min_count].sort_values(["log_odds_z", "token"], ascending=[False, True])
    frame["rank"] = range(1, len(frame) + 1)
    return frame.head(top).assign(status="ok", reason="")


def keyness(tokens: pd.DataFrame, min_count: int = 3, top: int = 30, glosses: dict[str, str] | None = None) -> pd.DataFrame:
    """Distinctive tokens, in two comparisons (column `comparison`):

    * `other_levels`: each local level against all other local levels (central texts
      left out: a different genre that would dominate);
    * `central`: each local level against the central texts pooled, i.e. the words
      a level uses that the centre's reports do not: what the level adds itself.

    `tokens` has a row per (level, token) with its count `n` (as `level_word_counts`
    gives), or a row per occurrence (no `n`). Weighted log-odds with an informative
    Dirichlet prior (prior = KEYNESS_PRIOR x the shares of the tokens in the two groups
    compared) and signed G2. A comparison without a second group gives one 'skipped'
    row saying so. `english` is each token's gloss from `glosses` (empty without one), so the
    table reads without the notebook.
    """
    if "n" not in tokens.columns:
        tokens = tokens.assign(n=1)
    local_tokens = tokens[tokens["level"] != "central"]
    present = [lv for lv in LEVELS if lv in set(local_tokens["level"].unique())]
    frames = []
    if len(present) < 2:
        frames.append(pd.DataFrame([{"comparison": "other_levels", "level": present[0] if present else None, "token": "",
                                     "status": "skipped", "reason": f"tokens from {len(present)} local level(s): no comparison group"}]))
    else:
        counts = local_tokens.groupby(["level", "token"])["n"].sum().unstack(fill_value=0)
        prior = KEYNESS_PRIOR * counts.sum(axis=0) / counts.to_numpy().sum()
        for level in present:
            rows = _keyness_rows(counts.loc[level], counts.drop(index=level).sum(axis=0), prior, min_count, top)
            frames.append(rows.assign(comparison="other_levels", level=level))
    central_tokens = tokens[tokens["level"] == "central"]
    if central_tokens.empty or not present:
        frames.append(pd.DataFrame([{"comparison": "central", "level": None, "token": "", "status": "skipped",
                                     "reason": "no central text" if central_tokens.empty else "no local document"}]))
    else:
        central_counts = central_tokens.groupby("token")["n"].sum()
        for level in present:
            level_counts = local_tokens[local_tokens["level"] == level].groupby("token")["n"].sum()
            both = pd.concat([level_counts.rename("i"), central_counts.rename("j")], axis=1).fillna(0).sort_index()
            prior = KEYNESS_PRIOR * (both["i"] + both["j"]) / both.to_numpy().sum()
            rows = _keyness_rows(both["i"], both["j"], prior, min_count, top)
            frames.append(rows.assign(comparison="central", level=level))
    out = pd.concat(frames, ignore_index=True)
    out["english"] = out["token"].map(lambda t: (glosses or {}).get(t, "") if isinstance(t, str) else "")
    return out.reindex(columns=KEYNESS_COLUMNS)


def level_word_counts(documents: pd.DataFrame, per_document: dict[str, tuple[str, np.ndarray]]) -> pd.DataFrame:
    """(level, token, n): the documents' word counts summed per level."""
    level_of = documents.set_index("doc_id")["level"]
    totals: dict[str, Counter] = {}
    for doc_id, (words, counts) in per_document.items():
        if words:
            totals.setdefault(level_of[doc_id], Counter()).update(dict(zip(words.split("\n"), counts.tolist())))
    rows = [(level, token, n) for level, counter in totals.items() for token, n in counter.items()]
    return pd.DataFrame(rows, columns=["level", "token", "n"])


def tables(t: dict[str, pd.DataFrame], inputs, words: dict | None = None, mapper=map) -> dict[str, pd.DataFrame]:
    """Statistics tables computed from the corpus tables (all written to data/processed/).

    `words`: each document's `word_counts` from the per-document stage; without them the
    sentences are segmented here.

    Validation against hand coding is not analysis: see `tifa.validation.extraction.tables`."""
    documents = t["documents"]
    domains = inputs.codebook["domain"].tolist()
    out: dict[str, pd.DataFrame] = {}
    roles = t["priorities"]["role"]
    # central texts are sources, not plans (methods §1); tasks and requirement-type items are separate views
    attn = attention(t["priorities"][roles == "task"], local(documents), domains)
    out["attention"] = attn
    out["attention_requirements"] = attention(t["priorities"][roles == "requirement"], local(documents), domains)
    out["diversity"] = diversity(attn, len(domains), mapper)
    out["attention_level_test"] = attention_level_test(attn)
    central_hits = central_rule_hits(t["frame_hits"], inputs.lexicon)  # the centre's rows only (methods §5)
    density = framing_density(t["sentences"], central_hits, inputs.lexicon, documents, mapper, all_hits=t["frame_hits"])
    out["framing_density"] = density
    out["density_level_test"] = density_level_test(density)
    units = section_counts(t["sections"], central_hits, documents)
    out["section_counts"] = units
    out["model_estimates"] = count_model(units)
    if words is None or any(w is None for w in words.values()):
        tok = inputs.tokenizer
        words = {doc_id: word_counts(tok.tokens(text) for text in g["text"])
                 for doc_id, g in t["sentences"].groupby("doc_id", sort=False)}
    from tifa.text.glossary import english_glosses

    glosses = english_glosses({"lexicon": inputs.lexicon, "glossary": inputs.glossary, "terms": inputs.terms})
    out["keyness"] = keyness(level_word_counts(documents, words), glosses=glosses)
    return out
