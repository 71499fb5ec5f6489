"""Document ids are data: a bounded, portable character set, checked wherever ids enter.

A doc_id becomes a file name (`documents/<id>.txt`, `normalized/<id>.txt`, `doc-<id>.html`), part of
a URL and an HTML attribute, a LaTeX cell and a spreadsheet cell. So it is refused, not cleaned,
unless it is:

* lower-case ASCII letters and digits, with `-`, `_` and `.` inside (it starts with a letter or
  digit, so never with a dot, and never holds `..`, `/` or `\\`): no path, no markup, no quote,
  no formula, and two ids never differ by case only (macOS and Windows file systems ignore case);
* at most MAX_LENGTH characters: `doc-<id>.html` stays far below the 255-byte file-name limit.

Chinese ids are refused for the same reasons (a 100-character Han id is 300 bytes; zip tools and
some file systems mangle non-ASCII names); the Chinese name of a document belongs in `title`.
`python -m tifa import` makes ids that pass (ASCII slugs or hashes).
"""

from __future__ import annotations

import re

from tifa.errors import InputError

MAX_LENGTH = 100
DOC_ID_RULE = re.compile(r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9_-])?")
RULE_TEXT = (f"a doc_id is 1-{MAX_LENGTH} characters of lower-case ASCII letters, digits, '-', '_' and '.', "
             "starting with a letter or digit, not ending with '.', without '..'")


def doc_id_problem(doc_id: object) -> str | None:
    """Why `doc_id` is not a safe id, or None when it is."""
    if not isinstance(doc_id, str) or not doc_id:
        return "empty doc_id"
    shown = repr(doc_id if len(doc_id) <= 60 else doc_id[:60] + "…")
    if len(doc_id) > MAX_LENGTH:
        return f"doc_id {shown} has {len(doc_id)} characters; {RULE_TEXT}"
    if not DOC_ID_RULE.fullmatch(doc_id) or ".." in doc_id:
        return f"doc_id {shown} is not allowed: {RULE_TEXT}"
    return None


def check_doc_id(doc_id: object, where) -> str:
    """`doc_id` if safe, else InputError naming `where` (the file it came from)."""
    problem = doc_id_problem(doc_id)
    if problem:
        raise InputError(where, problem)
    return doc_id


def check_doc_ids(values, where) -> None:
    """Refuse the first unsafe id among `values` (each distinct value checked once)."""
    for value in dict.fromkeys(values):
        check_doc_id(value, where)
