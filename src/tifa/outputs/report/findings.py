"""Key findings: the numbers the index page leads with, computed from the tables."""

from __future__ import annotations

import pandas as pd

from tifa.config import LEVELS
from tifa.outputs.report.common import levels_present, num
from tifa.stages.stats import doc_order


def findings(t: dict[str, pd.DataFrame]) -> list[str]:
    """The headline findings, each sentence filled from the tables (never typed by hand).
    A finding whose tables are absent, or that the corpus cannot support, says so instead."""
    docs = t["documents"]
    local_docs = docs[docs["level"] != "central"]
    lex = t["lexicon"]
    canon = lex.set_index("formulation_id")["canonical"]
    central = set(lex.loc[lex["coined_by"].isin(["central_party", "central_state", "samr"]), "formulation_id"])

    def share(k, n) -> str:
        return f"{k} of {n} ({k / n:.0%})" if n else "none"

    def corpus():
        return (f"The corpus holds {len(local_docs)} local documents ({', '.join(f'{(local_docs.level == lv).sum()} {lv}' for lv in levels_present(local_docs))}) "
                f"and {len(docs) - len(local_docs)} central reference texts; the local documents have "
                f"{local_docs['n_chars'].sum():,} characters, {local_docs['n_masked_chars'].sum():,} of them masked in the sources.")

    def priorities():
        pri = t["priorities"]
        tasks = pri[pri["role"] == "task"] if "role" in pri else pri
        return (f"{len(tasks)} task items were found ({'; '.join(f'{d}: {n}' for d, n in tasks.groupby('doc_id', sort=False).size().items())}), "
                f"and {len(pri) - len(tasks)} requirement-type items, counted apart.")

    def achievements():
        ach = t["achievements"]
        numeric = ach[ach["kind"].isin(["count", "money", "percent", "change"])]
        return (f"{len(ach)} reported results were extracted, {len(numeric)} of them numeric, "
                f"{int(numeric['masked'].astype(bool).sum())} with the value masked.")

    def central_reuse():
        reuse, by_level = t["central_reuse"], t["central_reuse_by_level"]
        whole = by_level[by_level["role"].fillna("") == ""]
        late = int((reuse["source_precedes"] == "no").sum())
        return (f"{len(reuse)} passages of local documents reproduce a central text (at least the minimum length in Han characters). "
                "Share of characters reproduced, by level: "
                + "; ".join(f"{r.level} {r.share:.1%} (95% interval {r.ci_low:.1%}–{r.ci_high:.1%}, {r.n_docs} doc{'s' if r.n_docs != 1 else ''})"
                            for r in whole.itertuples())
                + f". {late} passages are credited to a central text dated after the document: the wording reached both from an earlier source.")

    def sources():
        src = t["central_sources"]
        used = src[src["n_passages"] > 0]
        top = used.sort_values(["n_chars", "doc_id"], ascending=[False, True]).drop_duplicates("doc_id").set_index("doc_id")
        return ("The central text each document reproduces most: "
                + "; ".join(f"{d} ← {top.at[d, 'source_doc_id']} ({top.at[d, 'lag_days_min']}–{top.at[d, 'lag_days_max']} days)"
                            for d in doc_order(local_docs) if d in top.index) + ".")

    def formulations():
        fbd = t["frame_by_doc"]
        fbd = fbd[fbd["doc_id"].isin(local_docs["doc_id"])]
        present = fbd[(fbd["count"] > 0) & fbd["formulation_id"].isin(central)]
        per = present.groupby("formulation_id")["doc_id"].nunique()
        everywhere = sorted(per[per == len(local_docs)].index)
        return (f"{present['formulation_id'].nunique()} of {len(central)} central formulations in the lexicon occur in at least one local document; "
                f"{len(everywhere)} occur in all {len(local_docs)} ({', '.join(canon.get(f, f) for f in everywhere) or 'none'}).")

    def adaptation():
        hits = t["frame_hits"].merge(docs[["doc_id", "level"]], on="doc_id")
        local_hits = hits[hits["level"] != "central"]
        typed = local_hits["match"].value_counts()
        return (f"Of {len(local_hits)} formulation hits in local documents, "
                + ", ".join(f"{typed.get(m, 0)} {m.replace('_', ' ')}" for m in ("exact", "variant", "abbreviation", "tier_substitution", "extension", "fragment"))
                + " (typed adaptation: methods §5).")

    def density():
        dens = t["framing_density"].set_index("doc_id")
        dtest = t["density_level_test"].set_index("outcome").loc["hits_per_10k"]
        return ("Framing density (formulation hits per 10,000 characters): "
                + ", ".join(f"{d} {dens.at[d, 'hits_per_10k']:.0f}" for d in doc_order(docs) if d in dens.index)
                + f". Level test across local documents: {dtest.conclusion or dtest.reason} (exact permutation p = {num(dtest.p_value)}, "
                f"smallest attainable p {num(dtest.min_attainable_p)}).")

    def attention():
        test = t["attention_level_test"].iloc[0]
        return (f"Attention by domain: {test.conclusion or test.reason} (exact permutation p = {num(test.p_value)}, "
                f"smallest attainable p {num(test.min_attainable_p)}); level is confounded with genre, year and region.")

    def attributions():
        from tifa.validation.framing import ATTRIBUTION_CODINGS

        CODING_NAMES = {coding: covers for coding, _, _, covers in ATTRIBUTION_CODINGS}
        attr = t["attributions"]
        counts = attr["authority_level"].value_counts().reindex(list(LEVELS)).dropna().astype(int)
        acc = t["attribution_accuracy"]
        line = f"{len(attr)} credits of a speech act or directive to an authority ({', '.join(f'{n} {lv}' for lv, n in counts.items())})"
        scored = []
        for sample, label in (("held-out", "held out (coded after the last revision of the rules)"),
                              ("in-sample", "in-sample (codings the rules were revised against)")):
            part = acc[acc["sample"] == sample]
            if part.empty:
                continue
            codings = sorted(set(part["coding"]) - {"all"})
            part = part[part["coding"] == ("all" if "all" in set(part["coding"]) else codings[0])].set_index("measure")
            yes, no = part.loc["sentence accuracy: credits_someone"], part.loc["sentence accuracy: looks_like_but_credits_nobody"]
            right = (f"sentences that credit someone are right in {share(int(yes.k), int(yes.n))}"
                     + (f" (95% CI {yes.ci_low:.0%}–{yes.ci_high:.0%})" if yes.n else ""))
            named = ", ".join(CODING_NAMES.get(c, c) for c in codings)
            scored.append(f"{label}, {named}: {right}, look-alikes that credit nobody in {share(int(no.k), int(no.n))}")
        if scored:
            line += "; against blind hand coding, " + "; ".join(scored)
        return line + "."

    def coverage():
        cov = t["lexicon_coverage"]
        real = cov[~cov["false_friend"].astype(bool)]
        parts = []
        for held_out, label in ((True, "held out (coded after the lexicon was frozen)"),
                                (False, "in-sample (the lexicon was extended after reading them)")):
            part = real[real["held_out"].astype(bool) == held_out]
            if part.empty:
                continue
            covered = part[part["covered"].astype(bool)]
            agree = int(covered["adaptation_agrees"].astype(bool).sum())
            parts.append(f"{label}, {part['doc_id'].nunique()} document(s): {share(len(covered), len(part))} of the types "
                         f"detected, adaptation type agreeing for {share(agree, len(covered))} of those")
        return "Lexicon coverage against a blind hand list of central formulations: " + "; ".join(parts) + "."

    def candidates():
        cand = t["formulation_candidates"]
        return (f"{int(cand['local_coinage_candidate'].astype(bool).sum())} quoted phrases or numbered formulas occur at one level only "
                "and are not in the lexicon (candidate local coinages).")

    def validation():
        agree, val = t["agreement"].iloc[0], t["achievement_validation"]
        claims = []
        for sample, part in val.groupby("sample", sort=False):
            rows = part.set_index("claim_type")
            claims.append(f"{sample}: " + "; ".join(
                f"{c} recall {share(int(r.n_matched), int(r.n_hand))}, precision {share(int(r.n_matched), int(r.n_auto))}"
                for c, r in rows.iterrows() if c != "all"))
        return (f"Validation against blind hand coding: domains agree on {int(agree.n_agree)} of {int(agree.n_items)} tasks "
                f"(Cohen's kappa {agree.kappa:.2f}, 95% CI {agree.ci_low:.2f}–{agree.ci_high:.2f}; in-sample); claims, one-to-one "
                f"within sentences, {' | '.join(claims)}.")

    parts = [("corpus", corpus), ("priorities", priorities), ("achievements", achievements),
             ("reproduction from the centre", central_reuse), ("central sources", sources),
             ("formulations", formulations), ("typed adaptation", adaptation), ("framing density", density),
             ("attention", attention), ("attributions", attributions), ("lexicon coverage", coverage),
             ("candidate coinages", candidates), ("validation", validation)]
    out = []
    for name, make in parts:
        try:
            out.append(make())
        except KeyError as exc:
            out.append(f"({name}: not reported, table or column {exc} is absent from this build.)")
        except (IndexError, ValueError, AttributeError, ZeroDivisionError):
            out.append(f"({name}: not reported, the tables of this build have no rows for it.)")
    return out
