"""Validation against blind codings: how far the automatic tables can be trusted.

Every table names its coder (`coder`: a person, or a language-model coder given only the written
protocol), read from data/raw/annotations/coders.csv by `coder_of`.

This is not analysis, so it lives apart from `stats`. Every comparison is strict
and one-to-one: a hand claim is credited to at most one automatic row, and an
automatic row to at most one hand claim, only when both sit in the same sentence.
Masked values (×, ××.××) are compared as written, which is safe only because they
are never compared across sentences: ××× in one sentence says nothing about ×××
in another. Recall (hand claims found) and precision (automatic rows confirmed)
are reported per claim type with Wilson 95% intervals.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from statsmodels.stats.inter_rater import cohens_kappa

from tifa.config import MASK_CHARS
from tifa.inputs.load import read_annotation  # noqa: F401  (hand tables are read by the loader; re-exported here)
from tifa.text.normalise import normalise
from tifa.text.numbers import SCALES
from tifa.stages.stats import wilson

NUMERIC_KINDS = ("count", "money", "percent", "change")
CLAIM_TYPES = ("numeric", "masked", "honour", "rank")


# ------------------------------------------------------------- priority domains
def agreement(auto: pd.DataFrame, hand: pd.DataFrame, domains: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cohen's kappa (statsmodels, 95% CI) between automatic and hand-coded domains, and the disagreements."""
    both, unmatched = _paired(auto, hand)
    table = confusion(auto, hand, domains, long=False)
    result = cohens_kappa(table.to_numpy())
    summary = pd.DataFrame([{
        "n_items": len(both), "n_unmatched": len(unmatched), "n_agree": int(np.trace(table)),
        "percent_agreement": round(float(np.trace(table) / table.to_numpy().sum()), 4),
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


def _paired(auto: pd.DataFrame, hand: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tasks paired with hand codes by document and task number (requirement items are not hand coded)."""
    if "role" in auto:
        auto = auto[auto["role"] == "task"]
    merged = auto.merge(hand, on=["doc_id", "item_seq"], how="outer", suffixes=("_auto", "_hand"), indicator=True)
    return merged[merged["_merge"] == "both"], merged[merged["_merge"] != "both"]


def confusion(auto: pd.DataFrame, hand: pd.DataFrame, domains: list[str], long: bool = True) -> pd.DataFrame:
    """Automatic (rows) x hand (columns) domain counts over the items both coded.

    Only domains used by either side appear, in codebook order; `long=True` gives one
    row per cell (zeros included) for `agreement_confusion.csv`.
    """
    both, _ = _paired(auto, hand)
    codes = [d for d in domains if d in set(both["domain_auto"]) | set(both["domain_hand"])]
    codes += sorted((set(both["domain_auto"]) | set(both["domain_hand"])) - set(codes))  # e.g. 'other'
    table = pd.crosstab(pd.Categorical(both["domain_auto"], categories=codes),
                        pd.Categorical(both["domain_hand"], categories=codes), dropna=False)
    table.index.name, table.columns.name = "domain_auto", "domain_hand"
    if not long:
        return table
    return table.stack().rename("n_items").reset_index().astype({"domain_auto": str, "domain_hand": str, "n_items": int})


# ------------------------------------------------------------------ achievements
def unit_key(unit: str) -> str:
    """Units compared without a leading 个 or a parenthetical: 个百分点 = 百分点, 件（起） = 件."""
    return re.sub(r"（.*?）|\(.*?\)", "", unit or "").removeprefix("个")


def claim_type(kind: str, masked: bool) -> str:
    """numeric, masked, honour or rank: the four groups validated separately."""
    if kind in ("honour", "rank"):
        return kind
    return "masked" if masked else "numeric"


def _value_key(value: str) -> str:
    """Value as written, thousands commas dropped and every mask character read as ×."""
    value = str(value or "").replace(",", "")
    return "".join("×" if c in MASK_CHARS else c for c in value)


def _same_value(hand, auto) -> bool:
    """Same value: as written (masks as masks), or the same number in the base unit (两万多 = 2 万)."""
    if _value_key(hand.value) == _value_key(auto.value):
        return True
    hand_num = pd.to_numeric(hand.value_num, errors="coerce")
    if pd.isna(auto.value_base) or pd.isna(hand_num):
        return False
    base = float(hand_num) * SCALES.get(hand.scale or "", 1.0)
    return abs(base - float(auto.value_base)) < 1e-6 * max(1.0, abs(base))


def _overlap(a: str, b: str) -> int:
    """Characters of the longest common substring: how well an automatic honour names the hand one."""
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size


# ------------------------------------------------------------- indicator accuracy
# Indicators are compared as sets of character bigrams of their Han characters (masks, punctuation and the
# coder's bracketed notes such as （累计） dropped): the automatic indicator names the coder's counted object
# when the Dice coefficient of the two sets is at least INDICATOR_DICE. Character bigrams, not jieba words,
# so the rule does not depend on a dictionary; Dice, not containment, so a truncation (全国第一 for
# 全国第一梯队) or a bare cue (率先, 对) does not pass as the whole indicator.
INDICATOR_DICE = 0.4
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
CODER_NOTE = re.compile(r"（[^）]*）|\([^)]*\)")


def indicator_key(indicator: str) -> str:
    """The Han characters of an indicator, the coder's bracketed notes removed."""
    return "".join(HAN_RUN.findall(CODER_NOTE.sub("", str(indicator or ""))))


def indicator_similarity(hand: str, auto: str) -> float:
    """Dice coefficient of the character bigrams of two indicators (1 when equal, 0 when either is empty)."""
    a, b = indicator_key(hand), indicator_key(auto)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    grams_a, grams_b = ({s[i:i + 2] for i in range(len(s) - 1)} for s in (a, b))
    if not grams_a or not grams_b:
        return 0.0
    return round(2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b)), 4)


def same_indicator(hand: str, auto: str) -> bool:
    return indicator_similarity(hand, auto) >= INDICATOR_DICE


def hand_sentences(hand: pd.DataFrame, sentences: pd.DataFrame) -> pd.Series:
    """For each hand claim, the sentence(s) its snippet lies in (a tuple of sent_id).

    The snippet is normalised like the documents and located in the document's
    sentences joined together (their concatenation is the text without whitespace);
    a snippet that is not found gets an empty tuple and can match nothing.
    """
    out = []
    joined: dict[str, tuple[str, np.ndarray, np.ndarray]] = {}
    for doc_id, g in sentences.groupby("doc_id", sort=False):
        texts = g["text"].tolist()
        ends = np.cumsum([len(t) for t in texts])
        joined[doc_id] = ("".join(texts), ends, g["sent_id"].to_numpy())
    for h in hand.itertuples():
        if h.doc_id not in joined:
            out.append(())
            continue
        text, ends, ids = joined[h.doc_id]
        snippet = "".join(normalise(str(h.text_snippet)).split())
        start = text.find(snippet)
        if start < 0 or not snippet:
            out.append(())
            continue
        first = int(np.searchsorted(ends, start, side="right"))
        last = int(np.searchsorted(ends, start + len(snippet) - 1, side="right"))
        out.append(tuple(int(i) for i in ids[first:last + 1]))
    return pd.Series(out, index=hand.index, dtype=object)


def match_claims(auto: pd.DataFrame, hand: pd.DataFrame, sentences: pd.DataFrame) -> dict:
    """One-to-one matching of hand claims to automatic rows: hand index -> auto index.

    Candidates must be in the same document and sentence and of the same claim
    type; numeric and masked claims must also have the same value (`_same_value`)
    and unit (`unit_key`). Honours and ranks are paired by the longest run of
    characters the automatic indicator shares with the hand indicator or snippet. Within a sentence the pairs
    are chosen by an optimal assignment (scipy), so no row is used twice.
    """
    where = hand_sentences(hand, sentences)
    pairs = {}
    for (doc_id, ctype), hg in hand.groupby(["doc_id", "claim_type"], sort=False):
        ag = auto[(auto["doc_id"] == doc_id) & (auto["claim_type"] == ctype)]
        if ag.empty:
            continue
        score = np.zeros((len(hg), len(ag)))
        auto_rows = list(ag.itertuples())
        for i, h in enumerate(hg.itertuples()):
            for j, a in enumerate(auto_rows):
                if a.sent_id not in where[h.Index]:
                    continue
                if ctype in ("honour", "rank"):
                    # the automatic indicator names the honour (or holds the rank cue); the clause breaks ties
                    score[i, j] = 1 + max(_overlap(str(h.indicator), str(a.indicator)),
                                          _overlap(str(h.text_snippet), str(a.indicator))) \
                        + 0.01 * _overlap(str(h.text_snippet), str(a.claim))
                elif _same_value(h, a) and unit_key(h.unit) == unit_key(a.unit):
                    score[i, j] = 1
        rows, cols = linear_sum_assignment(score, maximize=True)
        for i, j in zip(rows, cols):
            if score[i, j] > 0:
                pairs[hg.index[i]] = ag.index[j]
    return pairs


def achievement_recall(auto: pd.DataFrame, hand: pd.DataFrame,
                       sentences: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per hand claim: was it found? And per claim type: recall and precision with Wilson 95% intervals.

    Precision counts the automatic rows of the hand-coded documents only; an
    automatic row no hand claim confirms is a false claim or one the coder's rules
    exclude (edition numbers, 2022 targets), and both lower precision.
    """
    hand = hand.assign(masked_hand=hand["masked"].astype(str).str.lower() == "true")
    hand = hand.assign(claim_type=[claim_type(k, m) for k, m in zip(hand["kind"], hand["masked_hand"])])
    auto = auto[auto["doc_id"].isin(set(hand["doc_id"]))]
    auto = auto.assign(claim_type=[claim_type(k, bool(m)) for k, m in zip(auto["kind"], auto["masked"])])
    pairs = match_claims(auto, hand, sentences)
    where = hand_sentences(hand, sentences)
    rows = []
    for h in hand.itertuples():
        a = auto.loc[pairs[h.Index]] if h.Index in pairs else None
        rows.append({"doc_id": h.doc_id, "claim_seq": h.claim_seq, "claim_type": h.claim_type, "kind_hand": h.kind,
                     "indicator": h.indicator, "value": h.value, "unit": h.unit, "masked": h.masked_hand,
                     "sent_id": where[h.Index][0] if where[h.Index] else None, "found": a is not None,
                     "achievement_id": a["achievement_id"] if a is not None else "",
                     "kind_auto": a["kind"] if a is not None else "",
                     "indicator_auto": a["indicator"] if a is not None else "",
                     "indicator_similarity": indicator_similarity(h.indicator, a["indicator"]) if a is not None else None,
                     "indicator_ok": same_indicator(h.indicator, a["indicator"]) if a is not None else None,
                     "masked_flag_ok": (bool(a["masked"]) == h.masked_hand) if a is not None and h.claim_type in ("numeric", "masked") else None,
                     "text_snippet": h.text_snippet, "hand_notes": h.notes})
    per_claim = pd.DataFrame(rows, columns=RECALL_COLUMNS)
    matched_auto = set(pairs.values())
    summary = []
    for ctype in CLAIM_TYPES + ("all",):
        hc = per_claim if ctype == "all" else per_claim[per_claim["claim_type"] == ctype]
        ac = auto if ctype == "all" else auto[auto["claim_type"] == ctype]
        n_found, n_confirmed = int(hc["found"].sum()), len(set(ac.index) & matched_auto)
        r_low, r_high = wilson(n_found, len(hc))
        p_low, p_high = wilson(n_confirmed, len(ac))
        n_indicator = int(hc["indicator_ok"].fillna(False).astype(bool).sum())
        i_low, i_high = wilson(n_indicator, n_found)
        summary.append({"claim_type": ctype, "n_hand": len(hc), "n_auto": len(ac), "n_matched": n_found,
                        "recall": round(n_found / len(hc), 4) if len(hc) else None,
                        "recall_ci_low": r_low, "recall_ci_high": r_high,
                        "precision": round(n_confirmed / len(ac), 4) if len(ac) else None,
                        "precision_ci_low": p_low, "precision_ci_high": p_high,
                        "n_indicator_right": n_indicator,
                        "indicator_accuracy": round(n_indicator / n_found, 4) if n_found else None,
                        "indicator_ci_low": i_low, "indicator_ci_high": i_high})
    return per_claim, pd.DataFrame(summary)


SAMPLES = {1: "in-sample", 2: "held-out"}


def achievement_validation_by_round(auto: pd.DataFrame, hand: pd.DataFrame,
                                    sentences: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`achievement_recall` per coding round, kept apart.

    Round 1 was read while the extractor's rules were written and revised, so its
    figures are in-sample; round 2 was coded blind on other documents afterwards and
    never used to change the rules (held out). Precision counts the automatic rows of
    the documents each round coded.
    """
    rounds = hand["round"].astype(int) if "round" in hand else pd.Series(1, index=hand.index)
    per_claim, summary = [], []
    for number, label in SAMPLES.items():
        part = hand[rounds == number]
        if part.empty:
            continue
        claims, table = achievement_recall(auto, part.reset_index(drop=True), sentences)
        per_claim.append(claims.assign(round=number))
        summary.append(table.assign(sample=label))
    claims = pd.concat(per_claim, ignore_index=True)
    table = pd.concat(summary, ignore_index=True)
    return claims, table[["sample", *[c for c in table.columns if c != "sample"]]]


RECALL_COLUMNS = ["doc_id", "claim_seq", "claim_type", "kind_hand", "indicator", "value", "unit", "masked", "sent_id",
                  "found", "achievement_id", "kind_auto", "indicator_auto", "indicator_similarity", "indicator_ok",
                  "masked_flag_ok", "text_snippet", "hand_notes"]
# achievement_recall.csv adds `round` (see achievement_validation_by_round)


def unconfirmed_claims(auto: pd.DataFrame, per_claim: pd.DataFrame, hand_docs: set[str]) -> pd.DataFrame:
    """Automatic rows of hand-coded documents that no hand claim confirms (the precision losses, to read)."""
    auto = auto[auto["doc_id"].isin(hand_docs)]
    confirmed = set(per_claim["achievement_id"]) - {""}
    out = auto[~auto["achievement_id"].isin(confirmed)]
    out = out.assign(claim_type=[claim_type(k, bool(m)) for k, m in zip(out["kind"], out["masked"])])
    return out[["doc_id", "achievement_id", "sent_id", "claim_type", "kind", "indicator", "value", "unit", "claim"]].reset_index(drop=True)


# -------------------------------------------------------------------- formulations
def frame_validation(frame_by_doc: pd.DataFrame, hand: pd.DataFrame) -> pd.DataFrame:
    """Automatic vs hand counts for every document x formulation pair either side found.

    Only the documents and formulations the hand counts cover are compared: formulations
    added to the lexicon later, and documents never counted by hand (the central texts),
    would otherwise appear as automatic-only 'errors'. The blind, sentence-level coding of
    the extended lexicon is scored in lexicon_coverage.
    """
    covered = frame_by_doc["doc_id"].isin(hand["doc_id"]) & frame_by_doc["formulation_id"].isin(hand["formulation_id"])
    auto = frame_by_doc.loc[covered, ["doc_id", "formulation_id", "count"]].rename(columns={"count": "count_auto"})
    hand = hand[["doc_id", "formulation_id", "count", "notes"]].rename(columns={"count": "count_hand", "notes": "hand_notes"})
    hand = hand.assign(count_hand=pd.to_numeric(hand["count_hand"]).astype(int))
    merged = auto.merge(hand, on=["doc_id", "formulation_id"], how="outer")
    merged["count_auto"] = merged["count_auto"].fillna(0).astype(int)
    merged["count_hand"] = merged["count_hand"].fillna(0).astype(int)
    merged = merged[(merged["count_auto"] > 0) | (merged["count_hand"] > 0)]
    merged["difference"] = merged["count_auto"] - merged["count_hand"]
    merged["hand_notes"] = merged["hand_notes"].fillna("")
    return merged.sort_values(["doc_id", "formulation_id"]).reset_index(drop=True)


# ---------------------------------------------------------------------- who coded
def coder_of(annotations: dict[str, pd.DataFrame], name: str, rounds=(1,)) -> str:
    """Who made coding `name` (those rounds), from data/raw/annotations/coders.csv, the one place it is
    recorded: person, language-model coder (protocol only), or both joined by ';'."""
    coders = annotations["coders"]
    rows = coders[(coders["annotation"] == name) & coders["round"].astype(int).isin([int(r) for r in rounds])]
    return ";".join(sorted(set(rows["coder"])))


# ---------------------------------------------------------------------- all tables
def tables(t: dict[str, pd.DataFrame], annotations: dict[str, pd.DataFrame], domains: list[str]) -> dict[str, pd.DataFrame]:
    """Every validation table for which a hand-coded file is present, each row naming its coder."""
    out: dict[str, pd.DataFrame] = {}
    if "priority_domains_handcoded" in annotations:
        coded = annotations["priority_domains_handcoded"]
        auto = t["priorities"][["doc_id", "role", "item_seq", "item_id", "title", "domain", "domain_keywords",
                                "lead_units", "responsible_units"]].fillna({"lead_units": "", "responsible_units": ""})
        hand = coded[["doc_id", "item_seq", "title", "domain", "lead_units", "responsible_units", "notes"]]
        coder = coder_of(annotations, "priority_domains_handcoded")
        summary, disagreements = agreement(auto, hand, domains)
        out["agreement"], out["disagreements"] = summary.assign(coder=coder), disagreements.assign(coder=coder)
        out["agreement_confusion"] = confusion(auto, hand, domains).assign(coder=coder)
    if "achievements_handcoded" in annotations:
        hand = annotations["achievements_handcoded"]
        recall, validation = achievement_validation_by_round(t["achievements"], hand, t["sentences"])
        by_round = {r: coder_of(annotations, "achievements_handcoded", (r,)) for r in SAMPLES}
        rounds = hand["round"].astype(int) if "round" in hand else pd.Series(1, index=hand.index)
        doc_rounds = rounds.groupby(hand["doc_id"]).agg(lambda r: tuple(sorted(set(r))))
        out["achievement_recall"] = recall.assign(coder=recall["round"].map(by_round))
        out["achievement_validation"] = validation.assign(
            coder=validation["sample"].map({label: by_round[r] for r, label in SAMPLES.items()}))
        unconfirmed = unconfirmed_claims(t["achievements"], recall, set(hand["doc_id"]))
        out["achievement_unconfirmed"] = unconfirmed.assign(
            coder=[coder_of(annotations, "achievements_handcoded", doc_rounds[d]) for d in unconfirmed["doc_id"]])
    if "formulation_counts_handcoded" in annotations:
        out["frame_validation"] = frame_validation(t["frame_by_doc"], annotations["formulation_counts_handcoded"]).assign(
            coder=coder_of(annotations, "formulation_counts_handcoded"))
    return out
