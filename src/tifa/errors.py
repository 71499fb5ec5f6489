"""One exception type for bad input, so the CLI can print it without a traceback."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input: always names the file (or table row) and the problem."""

    def __init__(self, where: str | Path, problem: str):
        self.where = str(where)
        self.problem = problem
        super().__init__(f"{self.where}: {problem}")

    def __reduce__(self):  # picklable, so that an error raised on a worker process reaches the build as it is
        return (type(self), (self.where, self.problem))
