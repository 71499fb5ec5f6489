"""CITATION.cff follows the release: its version is pyproject's, its date that of the release's
CHANGELOG entry, and the latest `v*` git tag (when the checkout has tags) names the same version."""

from __future__ import annotations

import re
import subprocess
import tomllib

import yaml

from tifa.config import PROJECT_ROOT


def citation() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def releases() -> dict[str, str]:
    """version -> date of every `## [version] - YYYY-MM-DD` heading in CHANGELOG.md."""
    text = (PROJECT_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^## \[(\d+\.\d+\.\d+[^\]]*)\] - (\d{4}-\d{2}-\d{2})\s*$", text, flags=re.M))


def test_citation_version_is_the_package_version():
    version = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert str(citation()["version"]) == version


def test_citation_date_is_the_release_date_in_the_changelog():
    cff = citation()
    dated = releases()
    assert str(cff["version"]) in dated, f"CHANGELOG.md has no heading for {cff['version']}"
    assert str(cff["date-released"]) == dated[str(cff["version"])]
    # the cited release is the newest one in the changelog
    newest = max(dated, key=lambda v: tuple(int(x) for x in re.findall(r"\d+", v)[:3]))
    assert str(cff["version"]) == newest


def test_latest_tag_names_the_cited_version():
    tags = subprocess.run(["git", "tag", "--list", "v*", "--sort=-v:refname"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    latest = tags.stdout.split()[0] if tags.returncode == 0 and tags.stdout.split() else None
    if latest is None:  # no tags (a fresh clone without them, or no release tagged yet): the changelog decides
        return
    assert latest == f"v{citation()['version']}"


def test_the_changelog_parser_reads_a_heading():
    assert re.findall(r"^## \[(\d+\.\d+\.\d+[^\]]*)\] - (\d{4}-\d{2}-\d{2})\s*$", "## [1.2.3] - 2027-01-31\n", flags=re.M) == [("1.2.3", "2027-01-31")]
