"""Key findings: the numbers the index page leads with, computed from the tables."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pandas as pd

from tifa.config import LEVELS
from tifa.outputs.report.common import levels_present, num
from tifa.stages.stats import doc_order

# A number in a finding carries the page of the site it comes from: OPEN text SEP href CLOSE
# (private-use characters, never in the data). findings() drops the links, linked_findings() keeps them.
OPEN, SEP, CLOSE = "\ue000", "\ue001", "\ue002"
LINK = re.compile(f"{OPEN}(.*?){SEP}(.*?){CLOSE}", re.S)


def ln(text, href: str) -> str:
    """`text` (a number, a list of names) linked to its evidence: a table row, a figure, a concordance filter."""
    return f"{OPEN}{text}{SEP}{href}{CLOSE}"


def table(name: str, **filters) -> str:
    """The browsable table on tables.html, filtered (?column=value), or its row in the list of tables."""
    if not filters:
        return f"tables.html#table-{name}"
    return f"tables.html?{urlencode(filters)}#browse-{name}"


def concordance(**filters) -> str:
    return f"concordance.html?{urlencode(filters)}" if filters else "concordance.html"


def figure(name: str) -> str:
    return f"figures.html#{name}"


def findings(t: dict[str, pd.DataFrame]) -> list[str]:
    """The headline findings as plain sentences."""
    return [LINK.sub(r"\1", s) for s in _findings(t)]


def linked_findings(t: dict[str, pd.DataFrame]) -> list[list[dict]]:
    """The headline findings as pieces {text, href}: every number links to where it comes from."""
    out = []
    for s in _findings(t):
        pieces, at = [], 0
        for m in LINK.finditer(s):
            pieces += [{"text": s[at:m.start()], "href": ""}, {"text": m.group(1), "href": m.group(2)}]
            at = m.end()
        pieces.append({"text": s[at:], "href": ""})
        out.append([p for p in pieces if p["text"]])
    return out


def _findings(t: dict[str, pd.DataFrame]) -> list[str]:
    """The headline findings, each sentence filled from the tables (never typed by hand), numbers linked.
    A finding whose tables are absent, or that the corpus cannot support, says so instead."""
    docs = t["documents"]
    local_docs = docs[docs["level"] != "central"]
    lex = t["lexicon"]
    canon = lex.set_index("formulation_id")["canonical"]
    # central formulations = the rows chosen from the central texts by the written rule (never from local documents)
    central = set(lex.loc[lex["selection"] == "central_rule", "formulation_id"]) if "selection" in lex else set()

    def share(k, n) -> str:
        return f"{k} of {n} ({k / n:.0%})" if n else "none"

    def corpus():
        levels = ", ".join(f"{ln((local_docs.level == lv).sum(), table('documents', level=lv))} {lv}" for lv in levels_present(local_docs))
        return (f"The corpus holds {ln(len(local_docs), 'documents.html')} local documents ({levels}) "
                f"and {ln(len(docs) - len(local_docs), table('documents', level='central'))} central reference texts; the local documents have "
                f"{ln(f'{local_docs.n_chars.sum():,}', 'index.html#corpus')} characters, "
                f"{ln(f'{local_docs.n_masked_chars.sum():,}', figure('masking_by_document'))} of them masked in the sources.")

    def priorities():
        pri = t["priorities"]
        tasks = pri[pri["role"] == "task"] if "role" in pri else pri
        per_doc = "; ".join(f"{d}: {ln(n, table('priorities', doc_id=d))}" for d, n in tasks.groupby("doc_id", sort=False).size().items())
        return (f"{ln(len(tasks), table('priorities'))} task items were found ({per_doc}), "
                f"and {ln(len(pri) - len(tasks), table('priorities'))} requirement-type items, counted apart.")

    def achievements():
        ach = t["achievements"]
        numeric = ach[ach["kind"].isin(["count", "money", "percent", "change"])]
        return (f"{ln(len(ach), table('achievements'))} reported results were extracted, {ln(len(numeric), figure('achievements_by_kind'))} of them numeric, "
                f"{ln(int(numeric['masked'].astype(bool).sum()), figure('achievements_by_kind'))} with the value masked.")

    def central_reuse():
        reuse, by_level = t["central_reuse"], t["central_reuse_by_level"]
        whole = by_level[by_level["role"].fillna("") == ""]
        formulaic = int(reuse["formulaic"].astype(bool).sum())
        identified = int(reuse["source_identified"].astype(bool).sum())
        impossible = int((reuse["time_order"] == "impossible").sum())
        shares = "; ".join(f"{r.level} {ln(f'{r.share_distinctive:.1%} (95% interval {r.ci_low_distinctive:.1%}–{r.ci_high_distinctive:.1%})', figure('central_reuse_share'))} "
                           f"distinctive and {ln(f'{r.share_formulaic:.1%}', table('central_reuse_by_level'))} formulaic, "
                           f"{ln(r.n_docs, table('documents', level=r.level))} doc{'s' if r.n_docs != 1 else ''}" for r in whole.itertuples())
        return (f"{ln(len(reuse), concordance(match='central reuse'))} passages of local documents reproduce a central text; "
                f"{ln(formulaic, table('central_reuse', formulaic='True'))} of them are formulaic (held by two or more texts of the corpus "
                f"and a background of every State Council report 1954–2025 and Party congress report), and only "
                f"{ln(identified, table('central_reuse', source_identified='True'))} have an identified source (exactly one text that could "
                f"precede the document holds them). Share of characters reproduced, by level: {shares}. "
                f"{ln(impossible, table('central_reuse', time_order='impossible'))} passage{'s are' if impossible != 1 else ' is'} held only by texts dated after the document: "
                "the wording reached both from an earlier source outside the corpus.")

    def sources():
        src = t["central_sources"]
        used = src[src["n_passages"] > 0]
        top = used.sort_values(["n_chars", "doc_id"], ascending=[False, True]).drop_duplicates("doc_id").set_index("doc_id")

        def lag(d):
            return ln(f"{top.at[d, 'lag_days_min']}–{top.at[d, 'lag_days_max']}", table("central_sources"))

        return ("The central text each document reproduces most, counting identified passages only: "
                + "; ".join(f"{d} ← {ln(top.at[d, 'source_doc_id'], figure('central_sources_timeline'))} ({lag(d)} days)"
                            for d in doc_order(local_docs) if d in top.index) + ".")

    def formulations():
        fbd = t["frame_by_doc"]
        fbd = fbd[fbd["doc_id"].isin(local_docs["doc_id"])]
        present = fbd[(fbd["count"] > 0) & fbd["formulation_id"].isin(central)]
        per = present.groupby("formulation_id")["doc_id"].nunique()
        everywhere = sorted(per[per == len(local_docs)].index)
        names = ", ".join(ln(canon.get(f, f), concordance(formulation=f)) for f in everywhere) or "none"
        return (f"{ln(present['formulation_id'].nunique(), figure('formulation_heatmap'))} of the {ln(len(central), table('frame_by_level'))} "
                f"formulations the written rule selects from the central texts (never from the local documents) occur in at least one "
                f"local document; "
                f"{ln(len(everywhere), figure('formulation_heatmap'))} occur in all {ln(len(local_docs), 'documents.html')} ({names}).")

    def adaptation():
        hits = t["frame_hits"].merge(docs[["doc_id", "level"]], on="doc_id")
        local_hits = hits[hits["level"] != "central"]
        typed = local_hits["adaptation"].fillna("").value_counts()
        kinds = [k for k in typed.index if k]
        return (f"Of {ln(len(local_hits), figure('adaptation_by_level'))} formulation hits in local documents, "
                f"{ln(typed.get('', 0), concordance(match='exact'))} are the canonical form once punctuation, dashes, "
                "enumeration commas and year ranges are normalised; the typed adaptations are "
                + ", ".join(f"{ln(typed[k], figure('adaptation_by_level'))} {k.replace('_', ' ')}" for k in kinds)
                + " (methods §5).")

    def density():
        dens = t["framing_density"].set_index("doc_id")
        dtest = t["density_level_test"].set_index("outcome").loc["hits_per_10k"]
        return ("Framing density (formulation hits per 10,000 characters): "
                + ", ".join(f"{d} {ln(format(dens.at[d, 'hits_per_10k'], '.0f'), figure('framing_density'))}" for d in doc_order(docs) if d in dens.index)
                + f". Level test across local documents: {dtest.conclusion or dtest.reason} "
                f"({ln(f'exact permutation p = {num(dtest.p_value)}, smallest attainable p {num(dtest.min_attainable_p)}', table('density_level_test'))}).")

    def attention():
        test = t["attention_level_test"].iloc[0]
        return (f"{ln('Attention by domain', figure('attention_by_domain'))}: {test.conclusion or test.reason} "
                f"({ln(f'exact permutation p = {num(test.p_value)}, smallest attainable p {num(test.min_attainable_p)}', table('attention_level_test'))}); "
                "level is confounded with genre, year and region.")

    def attributions():
        from tifa.validation.framing import ATTRIBUTION_CODINGS, CREDIT_GOAL

        CODING_NAMES = {coding: covers for coding, _, _, covers in ATTRIBUTION_CODINGS}
        attr = t["attributions"]
        counts = attr["authority_level"].value_counts().reindex(list(LEVELS)).dropna().astype(int)
        acc = t["attribution_accuracy"]
        by_level = ", ".join(f"{ln(n, table('attributions', authority_level=lv))} {lv}" for lv, n in counts.items())
        line = f"{ln(len(attr), table('attributions'))} credits of a speech act or directive to an authority ({by_level})"
        scored = []
        for sample, label in (("held-out", "held out (coded after the last revision of the rules)"),
                              ("in-sample", "in-sample (codings the rules were revised against)")):
            part = acc[acc["sample"] == sample]
            if part.empty:
                continue
            codings = sorted(set(part["coding"]) - {"all"})
            part = part[part["coding"] == ("all" if "all" in set(part["coding"]) else codings[0])].set_index("measure")
            yes, no = part.loc["sentence accuracy: credits_someone"], part.loc["sentence accuracy: looks_like_but_credits_nobody"]
            right = ln(share(int(yes.k), int(yes.n)) + (f" (95% CI {yes.ci_low:.0%}–{yes.ci_high:.0%})" if yes.n else ""),
                       table("attribution_accuracy"))
            named = ", ".join(CODING_NAMES.get(c, c) for c in codings)
            goal = ""
            if sample == "held-out" and yes.n:
                verdict = "met" if yes.value >= CREDIT_GOAL else "not met"
                inside = "; the interval includes it" if yes.ci_low <= CREDIT_GOAL <= yes.ci_high else ""
                goal = f" (goal {CREDIT_GOAL:.0%}: {verdict}{inside})"
            scored.append(f"{label}, {named}: sentences that credit someone are right in {right}{goal}, look-alikes that credit nobody in "
                          f"{ln(share(int(no.k), int(no.n)), table('attribution_accuracy'))}")
        if scored:
            coders = " and ".join(sorted(set(";".join(acc["coder"].astype(str)).split(";")))) if "coder" in acc else "blind coders"
            line += f"; against blind codings by {coders}, " + "; ".join(scored)
        pairs = t.get("attribution_intercoder")
        if pairs is not None and not pairs.empty:
            pair = pairs.iloc[0]
            rows = pairs[(pairs["coding_1"] == pair.coding_1) & (pairs["coding_2"] == pair.coding_2)].set_index("measure")
            first = rows.loc[f"crediting sentences of {pair.coding_1} coded alike"]
            line += (f"; two coders of the same sentences ({pair.coding_1}, {pair.coding_2}) give the same authorities to "
                     f"{ln(share(int(first.k), int(first.n)), table('attribution_intercoder'))} of the first coder's crediting "
                     "sentences, the ceiling for any rule scored against one coder")
        hit = t.get("hit_credit_accuracy")
        if hit is not None and not hit.empty:
            allhits = hit.set_index("measure").loc["hit credit accuracy: all coded hits"]
            line += (f". Credit of single formulation hits (clause-level), held out against a blind coding by {allhits.coder}: "
                     f"{ln(share(int(allhits.k), int(allhits.n)) + f' (95% CI {allhits.ci_low:.0%}–{allhits.ci_high:.0%})', table('hit_credit_accuracy'))}")
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
            parts.append(f"{label}, {part['doc_id'].nunique()} document(s): {ln(share(len(covered), len(part)), table('lexicon_coverage'))} of the types "
                         f"detected, adaptation type agreeing for {ln(share(agree, len(covered)), table('lexicon_coverage'))} of those")
        coder = " and ".join(sorted(set(cov["coder"].astype(str)))) if "coder" in cov else "a blind coder"
        return f"Lexicon coverage against a blind list of central formulations by {coder}: " + "; ".join(parts) + "."

    def candidates():
        cand = t["formulation_candidates"]
        return (f"{ln(int(cand['local_coinage_candidate'].astype(bool).sum()), table('formulation_candidates'))} quoted phrases or numbered formulas occur at one level only "
                "and are not in the lexicon (candidate local coinages).")

    def validation():
        agree, val = t["agreement"].iloc[0], t["achievement_validation"]
        claims = []
        for sample, part in val.groupby("sample", sort=False):
            rows = part.set_index("claim_type")
            claims.append(f"{sample}: " + "; ".join(
                f"{c} recall {ln(share(int(r.n_matched), int(r.n_hand)), table('achievement_validation'))}, "
                f"precision {ln(share(int(r.n_matched), int(r.n_auto)), table('achievement_validation'))}"
                + (f", counted object right in {ln(share(int(r.n_indicator_right), int(r.n_matched)), table('achievement_validation'))}"
                   if "n_indicator_right" in rows else "")
                for c, r in rows.iterrows() if c != "all"))
        agreed = ln(f"{int(agree.n_agree)} of {int(agree.n_items)} tasks (Cohen's kappa {agree.kappa:.2f}, 95% CI {agree.ci_low:.2f}–{agree.ci_high:.2f}",
                    table("agreement"))
        who = agree.coder if "coder" in agree else "a blind coder"
        return (f"Validation against blind codings by {who}: domains agree on {agreed}; in-sample); claims, one-to-one "
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
