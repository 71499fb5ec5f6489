"""Warnings about what a document's form will cost the analysis, said once per document at build time.

A build never refuses a readable document for its form, but some forms lose results silently: a long
page without line breaks loses the paragraphs that headings and priorities are read from, and text
in traditional script is not matched by the lexicon and codebook, which are in simplified script.
These checks say so, naming the file; `tifa.pipeline.process_document` raises their warnings.
"""

from __future__ import annotations

from pathlib import Path

# Characters that exist only in traditional script (their simplified forms differ): 國 (国), 們 (们) ...
TRADITIONAL_ONLY = frozenset("國們這個為來說時經發對與從進過還應關題間開樣學點當實體現機長將區義質產務動會後黨議歷據強總貫徹"
                             "記習講話領導組織規劃設計農業標準監勢調價舉黨辦營環較極興歲")
TRADITIONAL_MIN = 10  # traditional-only characters, and
TRADITIONAL_SHARE = 0.01  # their share of the Han characters, from which a text counts as traditional script
LONG_LINE = 2000  # characters: a normalised text of one line at least this long has lost its line breaks


def traditional_characters(text: str) -> list[str]:
    return [c for c in text if c in TRADITIONAL_ONLY]


def form_warnings(path: Path | str, text: str) -> list[str]:
    """What the normalised `text` of the file `path` will lose, as `<file>: <problem>` warnings."""
    found = []
    han = sum("\u4e00" <= c <= "\u9fff" for c in text)
    traditional = traditional_characters(text)
    if len(traditional) >= TRADITIONAL_MIN and len(traditional) >= TRADITIONAL_SHARE * han:
        examples = "".join(dict.fromkeys(traditional))[:5]
        found.append(f"{path}: traditional script detected ({len(traditional)} traditional-only characters such as "
                     f"{examples}): the lexicon and codebook are in simplified script, so formulations and domain "
                     "keywords written in traditional script are not found; convert the text to simplified "
                     "(e.g. with OpenCC) and build again")
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines <= 1 and len(text.strip()) >= LONG_LINE:
        found.append(f"{path}: one line of {len(text.strip())} characters without line breaks: paragraphs, headings "
                     "and the priorities read from them may be lost; restore the source's line breaks if you can")
    return found
