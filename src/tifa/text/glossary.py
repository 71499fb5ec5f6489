"""English glosses for Chinese terms, from the project's hand-written glossaries: the lexicon
(canonical form -> its first English rendering), the office names of glossary/units.csv and the
common words of glossary/terms.csv (the distinctive-vocabulary tokens). Used to gloss tables for
readers who do not read Chinese; a term without a gloss stays without one (never machine-guessed)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tifa.config import DATA_RAW


def english_glosses(raw_dir: Path = DATA_RAW) -> dict[str, str]:
    """term -> English. Later sources win: lexicon, then units, then terms (the most specific list)."""
    from tifa.outputs.figures import short_gloss
    from tifa.stages.frames import lexicon

    out: dict[str, str] = {}
    lex = lexicon(raw_dir)
    out.update({r.canonical: short_gloss(r.english) for r in lex.itertuples() if isinstance(r.english, str) and r.english})
    for name in ("units.csv", "terms.csv"):
        path = raw_dir / "glossary" / name
        if path.exists():
            book = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
            out.update({t: e for t, e in zip(book["term"], book["english"]) if t and e})
    return out
