"""Real multi-tier corpora where level has an answer, each built from an archive kept in
`data/cases/archives/` by the project's own import and build (`python -m tifa case NAME`)."""

CASES = ("gwr2026",)
