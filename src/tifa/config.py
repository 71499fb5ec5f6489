"""Paths and controlled vocabularies: the one place they are defined."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_RAW = PROJECT_ROOT / "data" / "raw"
DATA_PROCESSED = PROJECT_ROOT / "data" / "processed"
FIGURES = PROJECT_ROOT / "figures"
REPORTS = PROJECT_ROOT / "reports"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
DOCS = PROJECT_ROOT / "docs"



def outputs_beside(processed: Path | None, kind: str) -> Path:
    """Where the figures or reports of a processed folder go: the project's own `figures/` and `reports/`
    for the project's build, else beside that folder (`<parent>/<kind>` for a folder called `processed`,
    `<name>-<kind>` otherwise), so another corpus never overwrites the committed outputs."""
    project = {"figures": FIGURES, "reports": REPORTS}[kind]
    if processed is None or Path(processed).resolve() == DATA_PROCESSED.resolve():
        return project
    processed = Path(processed)
    return processed.parent / (kind if processed.name == "processed" else f"{processed.name}-{kind}")


# Administrative tier of the issuing body, top to bottom. "district" stands for the
# county tier (districts, counties, county-level cities).
LEVELS = ("central", "provincial", "municipal", "district")
GENRES = ("speech", "work_plan", "summary", "report", "regulation", "other")
SECTION_ROLES = ("preamble", "review", "situation", "plan", "requirements", "back_matter")

# Characters that redact text in the sources. A run of them is one masked span.
MASK_CHARS = "*×＊"

# Seeds for everything random (bootstrap, permutation tests).
RANDOM_SEED = 20230101


def document_rng(doc_id: str):
    """The random generator of one document's own intervals: seeded by RANDOM_SEED and the document id,
    so a document's interval does not change when other documents join or leave the corpus, and
    documents can be resampled on any worker in any order."""
    import hashlib

    import numpy as np

    key = int.from_bytes(hashlib.sha256(doc_id.encode("utf-8")).digest()[:8], "little")
    return np.random.default_rng([RANDOM_SEED, key])

LEVEL_GLOSS = {"central": "中央", "provincial": "省级", "municipal": "市级", "district": "区县级"}


def level_rank(level: str) -> int:
    """Sort key that orders documents from the top of the hierarchy down."""
    return LEVELS.index(level)
