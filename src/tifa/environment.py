"""environment.yml is derived from requirements.lock, so conda and pip users get the same pins."""

from __future__ import annotations

import platform
from pathlib import Path

from tifa.config import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements.lock"
ENVIRONMENT = PROJECT_ROOT / "environment.yml"


def pinned(lock: Path = LOCK) -> list[str]:
    """`name==version` lines of the lock file, in file order."""
    return [line.strip() for line in lock.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def environment_yaml(lock: Path = LOCK, python: str | None = None) -> str:
    python = python or platform.python_version()
    lines = ["# Generated from requirements.lock by `make lock`; do not edit by hand.",
             "name: tifa", "channels:", "  - conda-forge", "dependencies:", f"  - python={python}", "  - pip", "  - pip:"]
    lines += [f"      - {p}" for p in pinned(lock)]
    lines += ["      - -e ."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    ENVIRONMENT.write_text(environment_yaml(), encoding="utf-8")
    print(f"wrote {ENVIRONMENT}")
