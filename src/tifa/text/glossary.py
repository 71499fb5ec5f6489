"""English glosses for Chinese terms, from the build's label tables: the lexicon (canonical form -> its
first English rendering), the office names of the unit glossary and the common words of the terms glossary
(the distinctive-vocabulary tokens), all copied by the build from data/raw/. Used to gloss tables for
readers who do not read Chinese; a term without a gloss stays without one (never machine-guessed)."""

from __future__ import annotations

import re

import pandas as pd


def english_glosses(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """term -> English. Later sources win: lexicon, then units, then terms (the most specific list)."""
    out: dict[str, str] = {}
    lex = tables.get("lexicon", pd.DataFrame(columns=["canonical", "english"]))
    out.update({c: short_gloss(e) for c, e in zip(lex["canonical"], lex["english"]) if isinstance(e, str) and e})
    for name in ("glossary", "terms"):
        book = tables.get(name)
        if book is not None and not book.empty:
            out.update({t: e for t, e in zip(book["term"], book["english"]) if t and e})
    return out


def short_gloss(english: str) -> str:
    """The first English rendering in full, without its parenthetical notes (never cut mid-phrase:
    "campaign to sweep away black (organised crime) and eliminate evil" keeps "… and eliminate evil")."""
    text = str(english).split(";")[0]
    return re.sub(r"\s+", " ", re.sub(r"\s*\([^()]*\)", "", text)).strip()
