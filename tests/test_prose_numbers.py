"""No corpus numbers typed into prose (issue 12 §5).

A figure typed into the README, docs/methods.md or a notebook's markdown goes
silently false when the corpus changes; figures that belong in prose are
injected from the tables at render time. This test lists every number (and
every number word before a corpus noun) in that prose which is not an explicit
method constant, a year, a heading or list number, or inside `code`.
"""

import re

import pytest

from tifa.config import PROJECT_ROOT, RANDOM_SEED
from tifa.stages.stats import ALPHA, MAX_EXACT, N_BOOT, N_MONTE_CARLO

# Constants of the method, not of the corpus: CI and power levels, alpha, resampling sizes,
# the seed, the permutation cap, per-10,000 densities, the 1,000 prior weight, reuse
# parameters (10-grams, gaps of 6, 2-4-grams), the 40-character attribution window,
# 2-16-character quoted phrases, a journal volume.
ALLOWED = {"95", "80", f"{ALPHA:g}", f"{N_BOOT:,}", f"{MAX_EXACT:,}", f"{N_MONTE_CARLO:,}", str(RANDOM_SEED),
           "10,000", "1,000", "10", "6", "40", "2", "4", "16", "16(4)", "0", "1", "100", "2.5", "97.5",
           "256", "8", "3.11", "12315", "01", "02", "03", "04", "05", "06", "89", "183", "31", "64"}
# SHA-256, UTF-8, Python 3.11, a hotline, notebook numbers, column widths in mm, 31 December, 64-bit hashes
YEAR = re.compile(r"^(19|20)\d\d$")
NUMBER = re.compile(r"(?<![\w.§-])\d+(?:,\d{3})*(?:\.\d+)?(?:\(\d+\))?(?!\.?\d)(?![\w%])|(?<![\w.§-])\d+(?=%)")
WORDS = ("two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
         "seventeen|eighteen|nineteen|twenty")
NUMBER_WORD = re.compile(rf"\b({WORDS})\s+(?:\w+\s+)?(documents?|rows?|items?|claims?|assignments?|pairs?|"
                         r"formulations?|speeches|plans?|priorities|codes|honours?|ranks?|disagreements?)\b", re.I)
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


MEASURED_SECTION = "## Software and runtime"  # README: runtimes measured on a machine, not corpus figures


def prose_lines(path):
    """(line number, text) of the prose: markdown outside code; for notebooks, markdown cells only."""
    lines = path.read_text(encoding="utf-8").splitlines()
    notebook = path.suffix == ".py"
    in_markdown, in_fence, measured = not notebook, False, False
    for number, line in enumerate(lines, start=1):
        if not notebook and line.startswith("## "):
            measured = line.strip() == MEASURED_SECTION
        if measured:
            continue
        if notebook and line.startswith("# %%"):
            in_markdown = "[markdown]" in line
            continue
        if not in_markdown:
            continue
        text = line[2:] if notebook and line.startswith("# ") else ("" if notebook and line == "#" else line)
        if text.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield number, text


def typed_numbers(text):
    text = re.sub(r"`[^`]*`", "", text)                   # code spans: names, commands
    text = re.sub(r"^\s*(#+\s*\d+\.|\d+\.|[-*])\s", "", text)  # heading and list numbers
    found = []
    for m in NUMBER.finditer(text):
        token = m.group()
        near = text[max(0, m.start() - 1):m.end() + 1]
        if token in ALLOWED or YEAR.match(token) or CJK.search(near):  # 第3, 31万余份: examples of Chinese text
            continue
        found.append(token)
    found += [m.group() for m in NUMBER_WORD.finditer(text)]
    return found


def prose_files():
    return [PROJECT_ROOT / "README.md", PROJECT_ROOT / "docs" / "methods.md",
            *sorted((PROJECT_ROOT / "notebooks").glob("*.py"))]


def offending_lines():
    out = []
    for path in prose_files():
        for number, text in prose_lines(path):
            found = typed_numbers(text)
            if found:
                out.append(f"{path.relative_to(PROJECT_ROOT)}:{number}: {', '.join(found)}")
    return out


def test_the_scanner_finds_typed_corpus_numbers():
    assert typed_numbers("Eighteen rows added beyond the reference table") == ["Eighteen rows"]
    assert typed_numbers("With 6 to 22 items, 20 assignments and 002 and 003") == ["22", "20", "002", "003"]
    assert typed_numbers("Agreement: 71 of 82 items, kappa 0.86") == ["71", "82", "0.86"]
    assert typed_numbers("95% intervals, p = 0.05, 2,000 draws (seed 20230101) in 2023") == []
    assert typed_numbers("`python -m tifa build --out /tmp/x2`, numbers such as 第3 and 31万余份") == []
    assert typed_numbers("scales are read whole (万亿 in 3.8万亿元)") == []  # not the 3 of 3.8万


def test_no_corpus_numbers_typed_into_prose():
    offending = offending_lines()
    assert not offending, "numbers typed into prose:\n" + "\n".join(offending)
