"""Tokens: jieba word segmentation that keeps project terms whole.

jieba splits at punctuation, so 双随机、一公开 could never be one jieba word.
`Tokenizer` therefore first cuts out protected terms (longest first) and runs
jieba only on the text between them. Protected terms come from the project user
dictionary (`data/raw/lexicon/userdict.txt`), the literal forms in the
formulation lexicon and the codebook keywords; terms without punctuation are
also added to jieba's own dictionary so they survive inside its segments.

Segmentation is jieba's: its dictionary and its algorithm (a DAG of dictionary
words, the route of highest probability, no HMM for unknown words), run by
jieba-rs, the Rust implementation of jieba, through its Python binding rjieba.
It gives Python jieba's words on every sentence of the seeds and central texts
(tests/test_tokens.py) and segments several times faster, which matters for a
corpus of thousands of documents: Python jieba was about two fifths of the
per-document stage. Where two routes are equally probable up to floating-point
rounding, the two implementations may break the tie differently.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain

import numpy as np
import pandas as pd
import rjieba


_REGEX_META = re.compile(r"[\\\[\](){}|?*+^$.]")
PUNCT_TOKEN = re.compile(r"^[\W_]+$")
USER_WORD = re.compile(r"[\u4e00-\u9fff]+")  # project terms added to jieba's dictionary
KEPT_TOKENS = 500_000  # distinct tokens whose classification a tokenizer remembers (forgotten all at once beyond)


def user_word_frequency(term: str) -> int:
    """Frequency a project term gets in jieba's dictionary: high enough that jieba keeps it whole."""
    return max(1000, 100 * len(term))


def literal_forms(patterns: str, sep: str = " ; ") -> list[str]:
    """The plain-text alternatives among `sep`-separated regex patterns."""
    return [p.strip() for p in patterns.split(sep) if p.strip() and not _REGEX_META.search(p.strip())]


def project_terms(userdict: list[str], lexicon: pd.DataFrame, codebook: pd.DataFrame) -> list[str]:
    """Every term that must stay one token, sorted for determinism."""
    terms: set[str] = set(userdict)
    for row in lexicon.itertuples():
        terms.add(row.canonical)
        terms.update(literal_forms(row.variants))
        terms.update(literal_forms(row.abbreviations))
    for keywords in codebook["keywords"]:
        terms.update(k for k in keywords.split(";") if k)
    return sorted(t for t in terms if len(t) >= 2)


def trie_pattern(terms: list[str]) -> str:
    """A regex matching, at each position, the longest of `terms` that occurs there: the alternation of
    the terms sorted longest first, written as a trie (shared prefixes once, a longer term tried
    before the shorter one it extends), which the regex engine scans many times faster."""
    trie: dict = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}  # a term ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


class Tokenizer:
    """A private jieba (jieba-rs) instance plus protected multi-word terms."""

    def __init__(self, terms: list[str]):
        self.terms = terms
        self._jieba = rjieba.Jieba()
        for term in terms:
            if USER_WORD.fullmatch(term):
                self._jieba.add_word(term, user_word_frequency(term), None)
        self._protected = re.compile(trie_pattern(terms)) if terms else None
        self._kept: dict[str, tuple[str, bool]] = {}  # token -> (stripped, is punctuation): a corpus repeats its words

    def _cut(self, text: str) -> list[str]:
        """jieba's words of `text` (no HMM), punctuation and spaces included."""
        return self._jieba.cut(text, False) if text else []

    def tokens(self, text: str, keep_punct: bool = False) -> list[str]:
        out: list[str] = []
        pos = 0
        matches = self._protected.finditer(text) if self._protected else []
        for m in matches:
            out.extend(self._cut(text[pos:m.start()]))
            out.append(m.group())
            pos = m.end()
        out.extend(self._cut(text[pos:]))
        kept = [self._kept.get(t) or self._classify(t) for t in out]
        return [t for t, punct in kept if t and (keep_punct or not punct)]

    def _classify(self, token: str) -> tuple[str, bool]:
        if len(self._kept) >= KEPT_TOKENS:
            self._kept.clear()
        stripped = token.strip()
        self._kept[token] = (stripped, bool(PUNCT_TOKEN.match(stripped)))
        return self._kept[token]


def is_keyness_word(token: str) -> bool:
    """Words compared by keyness: two or more characters, no digit, no mask."""
    return len(token) >= 2 and not (any(map(str.isdigit, token)) or "×" in token or "*" in token)


def word_counts(token_lists) -> tuple[str, np.ndarray]:
    """A document's keyness words and their counts, compactly: the words joined by line breaks (sorted)
    and an array of counts. A large corpus holds one of these per document, not millions of strings."""
    counted = Counter(chain.from_iterable(token_lists))
    words = sorted(w for w in counted if is_keyness_word(w))  # each distinct word tested once
    return "\n".join(words), np.array([counted[w] for w in words], dtype=np.int64)
