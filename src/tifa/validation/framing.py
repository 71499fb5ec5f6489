"""Validation of the framing labels against blind codings: attribution and lexicon coverage.

Every coding was made by a coder who never saw the rules (data/raw/annotations/README_*.md); who
coded each one (a person, or a language-model coder given only the protocol) is recorded in
data/raw/annotations/coders.csv and carried into every table as `coder`. Scoring is strict: a sentence's
attribution is right only if the automatic set of credited authorities equals the
coder's set; a hand-listed formulation type is covered only if the lexicon
detects it in that document.
"""

from __future__ import annotations

import warnings

import pandas as pd

from tifa.stages.frames import ATTRIBUTION_COLUMNS, TIER_AUTHORITIES, attribution_rows, authority_mentions, without_quotes
from tifa.stages.stats import wilson


def canonical_authority(name: str) -> str:
    """The authority a coder's free-text name stands for (张世珍副省长 -> 省领导).

    The coder wrote the members of an abbreviated tier chain as single characters
    (中省市 -> 中, 省, 市; README of the hand coding), which are the tier authorities."""
    if name in TIER_AUTHORITIES:
        return TIER_AUTHORITIES[name][0]
    found = authority_mentions(name)
    return found[0]["authority"] if found else name


def attribution_by_sentence(auto: pd.DataFrame, hand: pd.DataFrame, sentences: pd.DataFrame,
                            coding: str = "local", sample: str = "in-sample") -> pd.DataFrame:
    """Every hand-coded sentence: the authorities credited by hand and by tifa, and whether the sets agree."""
    keys = sentences[["doc_id", "sent_id", "text"]]
    coded = hand.merge(keys, on=["doc_id", "text"], how="left", suffixes=("_hand", ""))
    coded = coded[coded["sent_id"].notna()]  # the others: `unmatched`
    rows = []
    for (doc_id, sent_id), g in coded.groupby(["doc_id", "sent_id"], sort=True):
        by_hand = {canonical_authority(a) for a in g["authority"] if a}
        mine = auto[(auto["doc_id"] == doc_id) & (auto["sent_id"] == sent_id)]
        by_tifa = set(mine["authority"])
        rows.append({"coding": coding, "sample": sample, "doc_id": doc_id, "sent_id": int(sent_id), "hand_credits": bool(by_hand),
                     "authorities_hand": ";".join(sorted(by_hand)), "authorities_auto": ";".join(sorted(by_tifa)),
                     "n_hand": len(by_hand), "n_auto": len(by_tifa), "n_matched": len(by_hand & by_tifa),
                     "correct": by_hand == by_tifa, "text": g["text"].iloc[0]})
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def unmatched(hand: pd.DataFrame, sentences: pd.DataFrame, coding: str) -> pd.DataFrame:
    """The hand-coded sentences that no sentence of the build has (one row per sentence, with the reason),
    which `attribution_by_sentence` leaves out: a text edited or segmented otherwise since the coding."""
    known = set(zip(sentences["doc_id"], sentences["text"]))
    docs = set(sentences["doc_id"])
    lost = hand[["doc_id", "text"]].drop_duplicates()
    lost = lost[[pair not in known for pair in zip(lost["doc_id"], lost["text"])]]
    reason = ["no sentence of the document has this text" if d in docs else "document not in the corpus" for d in lost["doc_id"]]
    return lost.assign(coding=coding, reason=reason)[UNMATCHED_COLUMNS].reset_index(drop=True)


UNMATCHED_COLUMNS = ["coding", "doc_id", "text", "reason"]
SENTENCE_COLUMNS = ["coding", "sample", "doc_id", "sent_id", "hand_credits", "authorities_hand", "authorities_auto", "n_hand", "n_auto",
                    "n_matched", "correct", "text"]


def attribution_summary(per_sentence: pd.DataFrame) -> pd.DataFrame:
    """Per hand coding, then pooled per sample (in-sample, held-out): accuracy for sentences that
    credit someone and for look-alikes that credit nobody, plus one-to-one recall and precision
    over credited authorities."""
    parts = []
    for coding, sample, _, _ in ATTRIBUTION_CODINGS:
        part = per_sentence[per_sentence["coding"] == coding]
        if len(part):
            parts.append(_summary(part).assign(coding=coding, sample=sample))
    for sample in ("in-sample", "held-out"):
        part = per_sentence[per_sentence["sample"] == sample]
        if part["coding"].nunique() > 1:
            parts.append(_summary(part).assign(coding="all", sample=sample))
    columns = ["coding", "sample", "measure", "n", "k", "value", "ci_low", "ci_high"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


# The blind attribution codings: (coding, sample, annotation table, what it covers). in-sample: the
# rules were revised after reading the coding; held-out: coded after the last revision and never read
# before it (see the README of each file in data/raw/annotations/). A table that carries each
# sentence's `doc_level` codes documents outside the corpus (see `external_attributions`).
ATTRIBUTION_CODINGS = (
    ("local", "in-sample", "attributions_handcoded", "the local documents"),
    ("central", "in-sample", "attributions_central", "the central texts"),
    ("provincial_a", "in-sample", "attributions_provincial_a", "five 2026 provincial work reports"),
    ("provincial_b", "held-out", "attributions_provincial_b", "five other 2026 provincial work reports"),
)


def external_attributions(coded: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sentences, attributions) for hand-coded sentences of documents outside the corpus: the
    rules are run on each coded sentence with its document's tier and issuer."""
    sentences = coded.drop_duplicates(["doc_id", "sent_id"])[["doc_id", "sent_id", "text", "doc_level", "issuer"]]
    rows = []
    for (doc_id, level, issuer), group in sentences.groupby(["doc_id", "doc_level", "issuer"], sort=True):
        rows += attribution_rows(doc_id, group.assign(start=0), level, issuer)
    return sentences[["doc_id", "sent_id", "text"]], pd.DataFrame(rows, columns=ATTRIBUTION_COLUMNS)


def _summary(per_sentence: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for label, subset in (("credits_someone", per_sentence[per_sentence["hand_credits"]]),
                          ("looks_like_but_credits_nobody", per_sentence[~per_sentence["hand_credits"]]),
                          ("all_sentences", per_sentence)):
        n, k = len(subset), int(subset["correct"].sum())
        low, high = wilson(k, n)
        rows.append({"measure": f"sentence accuracy: {label}", "n": n, "k": k,
                     "value": round(k / n, 4) if n else None, "ci_low": low, "ci_high": high})
    matched = int(per_sentence["n_matched"].sum())
    for label, total in (("authority recall", int(per_sentence["n_hand"].sum())),
                         ("authority precision", int(per_sentence["n_auto"].sum()))):
        low, high = wilson(matched, total)
        rows.append({"measure": label, "n": total, "k": matched, "value": round(matched / total, 4) if total else None,
                     "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def lexicon_coverage(hand: pd.DataFrame, hits: pd.DataFrame, lexicon: pd.DataFrame) -> pd.DataFrame:
    """Each formulation type the blind coder listed in a document, and whether tifa detects it there.

    `held_out` marks types from the second coding round, made after the lexicon was
    frozen and never used to change it: only those give an out-of-sample coverage.
    A type is covered when a hit of any lexicon row whose canonical form or surface
    overlaps the coder's canonical form (or surface) occurs in that document. False
    friends the coder marked (not_a_formulation) are scored the other way: covered
    means no hit spans that string.
    """
    canon = lexicon.set_index("formulation_id")["canonical"].to_dict()
    hits_of = {doc_id: list(g.itertuples()) for doc_id, g in hits.groupby("doc_id", sort=False)}
    rows = []
    types = hand.groupby(["doc_id", "canonical"], sort=True)
    for (doc_id, canonical), g in types:
        doc_hits = hits_of.get(doc_id, [])
        surfaces = [s for s in g["surface"] if s]
        # detection runs with quotation marks removed (methods §5), so compare without them
        bare = [without_quotes(x) for x in (canonical, *surfaces)]
        false_friend = (g["adaptation"] == "not_a_formulation").all()

        def related(row) -> bool:
            c = canon.get(row.formulation_id, "")
            return any(x and (x in row.surface or row.surface in x or (c and (c in x or x in c))) for x in bare)

        related_hits = [h for h in doc_hits if related(h)]
        matched = sorted({h.formulation_id for h in related_hits})
        by_hand = set(g["adaptation"]) - {"not_a_formulation"}
        by_tifa = {h.match for h in related_hits}
        rows.append({"doc_id": doc_id, "held_out": bool((g["round"].astype(int) == 2).all()) if "round" in g else False,
                     "canonical": canonical, "surfaces": ";".join(surfaces),
                     "adaptations": ";".join(sorted(set(g["adaptation"]))),
                     "adaptations_auto": ";".join(sorted(by_tifa)),
                     "adaptation_agrees": bool(matched) and not false_friend and by_hand == by_tifa,
                     "in_central_texts": ";".join(sorted({v for v in g["in_central_texts"] if v})),
                     "false_friend": bool(false_friend),
                     "covered": (not matched) if false_friend else bool(matched),
                     "formulation_ids": ";".join(matched)})
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


COVERAGE_COLUMNS = ["doc_id", "held_out", "canonical", "surfaces", "adaptations", "adaptations_auto", "adaptation_agrees",
                    "in_central_texts", "false_friend", "covered", "formulation_ids"]


def tables(t: dict[str, pd.DataFrame], annotations: dict[str, pd.DataFrame], lexicon: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Attribution and lexicon-coverage validation, each row naming its coder (coders.csv via `coder_of`)."""
    from tifa.validation.extraction import coder_of

    out = {}
    coded, lost = [], []
    coder_by_coding = {}
    for coding, sample, name, _ in ATTRIBUTION_CODINGS:
        if name not in annotations:
            continue
        outside = "doc_level" in annotations[name].columns
        sentences, auto = external_attributions(annotations[name]) if outside else (t["sentences"], t["attributions"])
        coded.append(attribution_by_sentence(auto, annotations[name], sentences, coding, sample))
        coder_by_coding[coding] = coder_of(annotations, name)
        lost.append(unmatched(annotations[name], sentences, coding))
    lost = pd.concat(lost, ignore_index=True) if lost else pd.DataFrame(columns=UNMATCHED_COLUMNS)
    if len(lost):
        warnings.warn(f"{len(lost)} hand-coded sentences match no sentence of the build and are left out of the "
                      f"attribution scores (listed in validation_unmatched.csv), e.g. {lost['doc_id'].iloc[0]}: "
                      f"{lost['text'].iloc[0][:30]}", stacklevel=2)
    out["validation_unmatched"] = lost
    if coded:
        per_sentence = pd.concat(coded, ignore_index=True)
        out["attribution_validation"] = per_sentence.assign(coder=per_sentence["coding"].map(coder_by_coding))
        accuracy = attribution_summary(per_sentence)
        pooled = {sample: ";".join(sorted({k for c, s, _, _ in ATTRIBUTION_CODINGS if s == sample and c in coder_by_coding
                                           for k in coder_by_coding[c].split(";")}))
                  for sample in ("in-sample", "held-out")}
        out["attribution_accuracy"] = accuracy.assign(coder=[
            pooled[s] if c == "all" else coder_by_coding[c] for c, s in zip(accuracy["coding"], accuracy["sample"])])
    if "central_formulations_handcoded" in annotations:
        coverage = lexicon_coverage(annotations["central_formulations_handcoded"], t["frame_hits"], lexicon)
        by_round = {held: coder_of(annotations, "central_formulations_handcoded", (2 if held else 1,)) for held in (True, False)}
        out["lexicon_coverage"] = coverage.assign(coder=coverage["held_out"].map(by_round))
    return out
