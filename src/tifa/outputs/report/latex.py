"""LaTeX (booktabs) tables for papers, in reports/tables/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tifa.outputs.report.common import glosses, in_order, levels_present, num, ordered_docs, p_text
from tifa.stages.stats import doc_order


def _tex_doc(value: str) -> str:
    """An escaped document id that may break after - and _ (ids are long and have no spaces)."""
    return re.sub(r"(-|\\_)", r"\1\\allowbreak{}", value)


@dataclass
class TexTable:
    name: str
    df: pd.DataFrame  # already formatted: every cell a string, headers in words
    caption: str
    column_format: str
    note: str = ""
    doc_columns: tuple[str, ...] = ()


LONG = 25  # rows beyond which a table becomes a longtable (breaks across pages)


def latex_table(table: TexTable) -> str:
    """booktabs via pandas Styler; longtable when long; \\small; an optional note under the table."""
    df = table.df
    styler = df.style.hide(axis="index").format(escape="latex", na_rep="").format_index(escape="latex", axis=1)
    for column in table.doc_columns:
        styler = styler.format(_tex_doc, subset=[column], escape="latex")
    long = len(df) > LONG
    body = styler.to_latex(caption=table.caption.replace("%", r"\%"), label=f"tab:{table.name}", hrules=True,
                           position=None if long else "htbp", position_float=None if long else "centering",
                           column_format=table.column_format, environment="longtable" if long else None)
    note = ""
    if table.note:
        note = "\\par\\smallskip{\\footnotesize\\raggedright " + pd.Series([table.note]).str.replace(
            r"([%&#_$])", r"\\\1", regex=True).iloc[0] + "\\par}\n"
    if long:
        body = "\\begingroup\\small\n" + body + note + "\\endgroup\n"
    else:
        body = body.replace("\\centering\n", "\\centering\n\\small\n", 1).replace("\\end{table}", note + "\\end{table}")
    head = ("% tifa table: needs \\usepackage{booktabs,longtable,array} and, for Chinese, \\usepackage{xeCJK} (XeLaTeX).\n"
            "% Sized for a 16 cm text width.\n")
    return head + body


def _term(term: str) -> str:
    """patsy term names in words: level[T.provincial] -> level: provincial."""
    match = re.fullmatch(r"(\w+)\[T\.(.+)\]", term)
    return f"{match.group(1)}: {match.group(2)}" if match else term.replace("_", " ")


def tex_specs(t: dict[str, pd.DataFrame]) -> list[TexTable]:
    """The tables for papers, built from whichever tables this build has."""
    specs = []
    docs = ordered_docs(t)
    levels = levels_present(docs)
    words = lambda s: str(s).replace("_", " ")  # noqa: E731
    specs.append(TexTable("corpus_overview", pd.DataFrame({
        "Document": docs["doc_id"], "Level": docs["level"], "Genre": docs["genre"].map(words), "Year": docs["year"].astype(str),
        "Characters": docs["n_chars"].map("{:,}".format), "Sentences": docs["n_sentences"].map("{:,}".format),
        "Masked characters": docs["n_masked_chars"].map("{:,}".format)}),
        "Corpus overview: documents, their level, genre and year, and their size.",
        r">{\raggedright\arraybackslash}p{3.4cm}lll" + r">{\raggedleft\arraybackslash}p{1.8cm}" * 3, doc_columns=("Document",)))
    if "attention" in t:
        attn = t["attention"]
        domains = t["codebook"].set_index("domain")["label_en"]
        wide = attn.pivot_table(index="domain", columns="level", values="n_items", aggfunc="sum", fill_value=0)
        wide = wide.reindex(columns=[lv for lv in levels if lv in wide.columns], fill_value=0)
        wide["All"] = wide.sum(axis=1)
        wide = wide[wide["All"] > 0].sort_values("All", ascending=False)
        n_docs = docs.groupby("level").size()
        df = pd.DataFrame({"Policy domain": [domains.get(d, words(d)) for d in wide.index]})
        for lv in wide.columns:
            header = f"{lv.capitalize()} ({n_docs[lv]} doc.)" if lv in n_docs else lv
            df[header] = wide[lv].astype(int).astype(str).to_numpy()
        specs.append(TexTable("attention_by_domain", df,
                              "Priority items by policy domain and administrative level (number of documents per level in the header).",
                              r">{\raggedright\arraybackslash}p{5.2cm}" + "r" * (len(df.columns) - 1)))
    if "frame_by_level" in t:
        gloss = glosses(t)
        fbl = t["frame_by_level"].pivot(index="formulation_id", columns="level", values="status")
        fbl = fbl.reindex(columns=[lv for lv in levels if lv in fbl.columns])
        fbl = fbl[(fbl != "absent").any(axis=1)]
        df = pd.DataFrame({"Formulation": [gloss.get(f, f) for f in fbl.index]})
        for lv in fbl.columns:
            df[lv.capitalize()] = fbl[lv].fillna("").to_numpy()
        df = df.sort_values("Formulation").reset_index(drop=True)
        width = {1: 10.5, 2: 9.5, 3: 8.5}.get(len(fbl.columns), 7.2)
        specs.append(TexTable("formulation_diffusion", df,
                              "Central formulations by level: used verbatim, adapted, or absent (formulations absent at every level omitted).",
                              rf">{{\raggedright\arraybackslash}}p{{{width}cm}}" + "l" * len(fbl.columns)))
    if "model_estimates" in t:
        est = t["model_estimates"]
        notes = sorted({n for n in est.get("note", pd.Series(dtype=str)).dropna().astype(str) if n})
        est = est[est["term"] != "(not identified)"]
        df = pd.DataFrame({"Model": est["model"].map(lambda m: words(m).capitalize()), "Covariates": est["covariates"].astype(str),
                           "Term": est["term"].map(_term), "Rate ratio": est["rate_ratio"].map(lambda x: num(x, ".3f")),
                           "95% interval": [f"{num(a, '.3f')}–{num(b, '.3f')}" for a, b in zip(est["ci_low"], est["ci_high"])],
                           "p-value": est["p_value"].map(p_text)})
        specs.append(TexTable("model_estimates", df,
                              "Count models of formulation hits per section (log length offset; rate ratios with 95% intervals).",
                              r"l>{\raggedright\arraybackslash}p{2.4cm}>{\raggedright\arraybackslash}p{3.2cm}rrr",
                              note=("Note: " + " ".join(notes)) if notes else ""))
    if "framing_density" in t:
        fd = t["framing_density"]
        fd = fd.set_index("doc_id").loc[in_order(doc_order(docs), fd["doc_id"])].reset_index()
        specs.append(TexTable("framing_density", pd.DataFrame({
            "Document": fd["doc_id"], "Level": fd["level"], "Year": fd["year"].astype(str),
            "Hits per 10,000 characters": fd["hits_per_10k"].map(lambda x: num(x, ".1f")),
            "95% interval": [f"{num(a, '.1f')}–{num(b, '.1f')}" for a, b in zip(fd["hits_ci_low"], fd["hits_ci_high"])],
            "Ideological share": fd["ideological_share"].map(lambda x: num(x, ".3f"))}),
            "Framing density: formulation hits per 10,000 characters and the share of ideological formulations, with 95% bootstrap intervals.",
            r">{\raggedright\arraybackslash}p{4.3cm}ll>{\raggedleft\arraybackslash}p{2.2cm}r>{\raggedleft\arraybackslash}p{1.8cm}",
            doc_columns=("Document",)))
    return specs


def latex_tables(t: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in tex_specs(t):
        path = out_dir / f"{spec.name}.tex"
        path.write_text(latex_table(spec), encoding="utf-8")
        paths.append(path)
    return paths


def latex_wrapper(tables: list[Path], cjk_font: Path) -> str:
    """A minimal XeLaTeX document with a 16 cm text width that inputs the given tables (for checking).
    The CJK font is the project's own file (fontspec's Path=), not a system font; a glyph missing from
    the fonts is logged as "Missing character"."""
    inputs = "\n".join(f"\\input{{{p.as_posix()}}}\\clearpage" for p in tables)
    return ("\\documentclass[11pt]{article}\n\\usepackage{booktabs,longtable,array}\n\\usepackage{xeCJK}\n"
            "\\tracinglostchars=2\n"
            f"\\setCJKmainfont[Path={cjk_font.parent.as_posix()}/]{{{cjk_font.name}}}\n"
            "\\setlength{\\textwidth}{16cm}\\setlength{\\oddsidemargin}{0cm}\\setlength{\\evensidemargin}{0cm}\n"
            "\\setlength{\\textheight}{24cm}\\setlength{\\topmargin}{-1cm}\n"
            f"\\begin{{document}}\n{inputs}\n\\end{{document}}\n")
