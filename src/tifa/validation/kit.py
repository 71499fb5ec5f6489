"""Validation kit: blind coding sheets a researcher fills in, and the scores of the rules against them.

`coding_sheet` draws a stratified sample from a built processed folder into an .xlsx whose first sheet
is the written protocol, the second the items with empty code columns (drop-down lists for categorical
codes), the third the list of codes, and a hidden fourth the key (item ids only) that joins items back
to the build. The rules' labels are never written into the workbook, so a coder cannot see them even by
unhiding a sheet; they are read from the processed folder when the filled sheets are scored.

`score_coding` reads one or more filled sheets of the same task and reports Krippendorff's alpha between
the coders (the `krippendorff` package, nominal level) and, per coder, the accuracy and the per-class
recall and precision of the rules with Wilson 95% intervals (`tifa.stages.stats.wilson`). Every figure names its
coder: the coder states on the protocol sheet whether they are a person or a language-model coder given
only the protocol.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tifa.errors import InputError
from tifa.outputs.spreadsheet import fixed_zip_times
from tifa.schemas import CODER_KINDS
from tifa.stages.stats import wilson

YES_NO = ("yes", "no")
KIT_VERSION = "1"
SHEETS = ("protocol", "items", "codes", "key")
# A cell that starts with one of these is a formula to a spreadsheet program (OWASP: CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Task:
    """What one coding task samples, shows and scores."""

    name: str
    unit: str  # "sentence" or "priority"
    code: str  # the categorical code column that is scored
    free: tuple[str, ...]  # optional free-text columns the coder may fill
    shown: tuple[str, ...]  # context columns shown beside the text
    protocol: str
    meanings: tuple[str, str] = ("", "")  # what yes and no mean (yes/no tasks)


COMMON = """\
How to code
- You code blind: you do not see what the software decided, and you should not look it up. Read each
  row on the 'items' sheet on its own and decide from its text (and the document it comes from).
- Fill the column {code} on every row, choosing from the drop-down list (the 'codes' sheet lists the
  codes and what they mean). Leave no row empty; when you hesitate, choose the better fitting code and
  say why in 'notes'.
- {free_line}Change nothing else: not the item ids, not the texts, not the order, not the other sheets.
- Write your name or coder id in cell B3 of this sheet, and in B4 whether you are a person or a
  language-model coder given only this protocol. Reports name the coder from these two cells.
- Masks (×, *) are redactions in the source: read them as unknown words or numbers, never as errors.
- Save the workbook as .xlsx under a new name and return it; `python -m tifa score-coding FILE...`
  scores one or more filled copies together.
"""

ATTRIBUTION = """\
Task: attribution. Does the sentence credit an authority with a speech act or a directive?

Code 'yes' when the sentence says that a named authority (a leader, a Party committee, a government,
a ministry, a meeting or plenum, an inspection team) said, demanded, decided, deployed or instructed
something. The usual signs:
- the authority is the subject of a verb of speaking or directing: 强调, 指出, 明确, 提出, 部署 (as a
  verb), 批示, 作出指示, 印发, 讲话, 发出号召, also in attributive use (总局部署的任务);
- a requirement or plan with its author named: 按照 X 的要求/部署要求/意见, 是 X 的要求, 落实 X 的…要求;
- a speech-act noun with its author named: X 重要讲话/指示/批示/论述/贺信(精神), even as the object of
  贯彻落实 (the authority is said to have spoken).
Code 'no' when the authority is present but does not speak or direct:
- loyalty formulas where the authority is only an object: 贯彻(落实) X 决策部署, 对标对表, 向党中央看齐,
  统一到…上来;
- a meeting's spirit without a speech act (X 会议/全会精神), leadership or attention (坚强领导, 正确指导,
  高度重视, 关注), and praise alone (肯定, 表扬, 通报排名);
- the speaker's own organisation (the bureau or government that issues or delivers the document, and
  its Party group), events still to come (迎接二十大), and requirements whose author is not named.
Every member of a list counts (中省市 names three authorities). In 'authorities' you may write the
authorities the sentence credits, as written, separated by ';' (optional).
"""

FORMULATIONS = """\
Task: formulations. Does the sentence contain a central policy formulation (提法)?

A formulation is a fixed phrase coined or promoted by the Party centre, its leader, a national
congress or plenum, the State Council or a central ministry (the market regulator SAMR included):
for example 新发展理念, 稳中求进, 四个最严, 放管服, 大市场、大质量、大监管. Forms adapted to a province,
city or county count too (质量强省 from 质量强国; an abbreviation such as 三新一高; a longer or
re-slotted version of a central phrase).
Code 'no' for:
- ordinary or generic vocabulary (营商环境, 问题导向, 担当作为) even when officials use it often;
- local brands and campaigns (a province's own 行动 or platform names);
- names of meetings or prizes (中央经济工作会议, 中国质量奖) and titles of laws, regulations and plans,
  unless the title carries a formulation (质量强国建设纲要 carries 质量强国);
- look-alikes whose wording only resembles a formulation (构建创新发展格局 is not 新发展格局).
In 'formulations' you may write the formulations you found, separated by ';' (optional).
"""

ACHIEVEMENTS = """\
Task: achievements. Does the sentence report a result already achieved?

Every sentence on the 'items' sheet contains a number. Code 'yes' when the sentence reports a past
result: a count, an amount of money, a rate or percentage, a change (增长, 提高, 下降), a rank or first
(第一, 率先, 首家, 前列), or an honour given (获评, 荣获, 入选, 被评为, 获批). A masked number (××) still
reports a result.
Code 'no' when every number in the sentence is something else:
- a target, plan or requirement for the future (力争, 确保, 达到…以上 in a plan);
- a date or year, an enumeration marker (一是, （一）), an edition or batch (第三届, 第四批);
- a number that is part of a name or slogan (十四五, 四个最严, 两个确立, 三品一特);
- a rule's parameter or threshold (最高奖励××万元), a prize level, or a fact about another region
  quoted for comparison.
"""

DOMAINS = """\
Task: domains. Which policy domain does this priority belong to?

Each row is one enumerated item of a plan or speech (a numbered item, 一是/一要, （一）): a task, or a
working requirement of the closing part, shown with its title and text. Choose the ONE dominant domain of the item as a whole from the codebook on the
'codes' sheet. For an item that bundles several topics, follow its heading and the largest share of
its text, and name the second-best domain in 'notes'. Internal management of the agency (training,
assessment of staff) is cadre_team; use 'other' only when no domain fits.
"""

TASKS = {
    "attribution": Task("attribution", "sentence", "credits_someone", ("authorities",), ("level", "issuer"), ATTRIBUTION,
                        ("credits an authority with a speech act or directive", "credits nobody")),
    "formulations": Task("formulations", "sentence", "has_formulation", ("formulations",), ("level",), FORMULATIONS,
                         ("contains a central formulation", "contains none")),
    "achievements": Task("achievements", "sentence", "reports_result", (), ("level",), ACHIEVEMENTS,
                         ("reports a result already achieved", "reports none (targets, dates, names only)")),
    "domains": Task("domains", "priority", "domain", (), ("level", "section_path", "marker", "title"), DOMAINS),
}


# ------------------------------------------------------------------ reading a build
def read_processed(processed: Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """The tables a task needs, as strings; refuse a folder that is not a build, naming the missing file."""
    out = {}
    for name in names:
        path = processed / f"{name}.csv"
        if not path.is_file():
            raise InputError(processed, f"not a build with {name}.csv; run `python -m tifa build --out` into it first")
        out[name] = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return out


def _keyed(table: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(table["doc_id"], table["sent_id"]))


POSITIVE_TABLE = {"attribution": "attributions", "formulations": "frame_hits", "achievements": "achievements"}


def labelled(task: str, processed: Path) -> pd.DataFrame:
    """Every item of the build with its context and the rules' class (doc_id, key_id, text, rule_class):
    sentences with yes/no (the rules credit someone, find a formulation, extract a result), or
    priorities with their domain."""
    if task == "domains":
        t = read_processed(processed, ("documents", "priorities"))
        items = t["priorities"].merge(t["documents"][["doc_id", "level"]], on="doc_id", how="left")
        return items.assign(key_id=items["item_id"], rule_class=items["domain"])
    positive_table = POSITIVE_TABLE[task]
    t = read_processed(processed, ("documents", "sentences", positive_table))
    items = t["sentences"].merge(t["documents"][["doc_id", "level", "issuer"]], on="doc_id", how="left")
    positive = _keyed(t[positive_table])
    return items.assign(key_id=items["sent_id"],
                        rule_class=["yes" if k in positive else "no" for k in zip(items["doc_id"], items["sent_id"])])


def population(task: str, processed: Path) -> pd.DataFrame:
    """The items a task draws from, each with the stratum it is drawn from (document x what the rules
    say). The stratum and the rules' class stay in memory: neither is written into the sheet."""
    from tifa.stages.frames import authority_mentions
    from tifa.text.numbers import find_quantities

    items = labelled(task, processed)
    yes = items["rule_class"] == "yes"
    if task == "domains":
        group = items["role"]
    elif task == "attribution":
        mention = items["text"].map(lambda s: bool(authority_mentions(s)))
        group = np.where(yes, "credited", np.where(mention, "authority word, not credited", "no authority word"))
    elif task == "formulations":
        group = np.where(yes, "formulation hit", "no hit")
    else:
        with_number = items["text"].map(lambda s: bool(find_quantities(s)))
        items, yes = items[with_number], yes[with_number]
        group = np.where(yes, "achievement extracted", "number, nothing extracted")
    return items.assign(stratum=items["doc_id"] + " | " + pd.Series(group, index=items.index)).reset_index(drop=True)


def draw(items: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """A stratified sample of n items: strata get equal shares (capped at their size, the rest spread over
    the others), items within a stratum are drawn at random, and the rows are shuffled so that their
    order does not reveal the strata. The same seed gives the same sample."""
    if n < 1:
        raise InputError("--n", f"must be at least 1, got {n}")
    generator = np.random.default_rng(seed)
    strata = sorted(items["stratum"].unique())
    members = {s: items.index[items["stratum"] == s].to_numpy() for s in strata}
    members = {s: generator.permutation(idx) for s, idx in members.items()}
    take = dict.fromkeys(strata, 0)
    remaining = min(n, len(items))
    while remaining:
        open_strata = [s for s in strata if take[s] < len(members[s])]
        for s in generator.permutation(open_strata)[:remaining]:
            take[s] += 1
            remaining -= 1
    chosen = np.concatenate([members[s][:take[s]] for s in strata]) if strata else np.array([], dtype=int)
    return items.loc[generator.permutation(chosen)].reset_index(drop=True)


# ------------------------------------------------------------------ writing a sheet
def _put(ws, row: int, column: int, value) -> None:
    """Write a value as a string, never as a formula: openpyxl would store '=…' as a formula, and a
    spreadsheet program would evaluate '+…', '-…' or '@…' typed over; the quote prefix keeps them text."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    cell = ws.cell(row=row, column=column)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True


def _clean(value: str) -> str:
    """A text as it stands in the sheet (characters a workbook cannot hold removed), for comparisons."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


def code_list(task: str, raw: Path | None) -> pd.DataFrame:
    """The codes a coder chooses from, with what each means."""
    if task != "domains":
        return pd.DataFrame({"code": list(YES_NO), "meaning": [f"the sentence {m}" for m in TASKS[task].meanings]})
    from tifa.config import DATA_RAW
    from tifa.inputs.load import read_codebook

    book = read_codebook(raw or DATA_RAW)
    meaning = [" / ".join(p for p in (row.get("label_en", ""), row.get("label_zh", ""), row.get("description", "")) if p)
               for row in book.to_dict("records")]
    codes = pd.DataFrame({"code": book["domain"], "meaning": meaning})
    if "other" not in set(codes["code"]):
        codes = pd.concat([codes, pd.DataFrame([{"code": "other", "meaning": "no domain fits"}])], ignore_index=True)
    return codes


def coding_sheet(task: str, n: int, seed: int, processed: Path, out: Path, raw: Path | None = None) -> pd.DataFrame:
    """Write the blind coding workbook for `task` to `out`; return the sampled items (with their strata,
    which the workbook does not contain)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    if task not in TASKS:
        raise InputError("--task", f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    spec = TASKS[task]
    sample = draw(population(task, processed), n, seed)
    codes = code_list(task, raw)
    wb = Workbook()

    ws = wb.active
    ws.title = "protocol"
    free_line = (f"You may also fill {', '.join(repr(c) for c in spec.free)} and 'notes'. " if spec.free
                 else "You may write a remark in 'notes'. ")
    lines = [f"tifa coding sheet: {task}", "",
             "coder_id", "coder_kind", ""]
    lines += spec.protocol.splitlines() + [""] + COMMON.format(code=repr(spec.code), free_line=free_line).splitlines()
    for i, line in enumerate(lines, start=1):
        _put(ws, i, 1, line)
    ws["A1"].font = Font(bold=True)
    _put(ws, 3, 2, "")
    _put(ws, 4, 2, "")
    kinds = DataValidation(type="list", formula1='"' + ",".join(CODER_KINDS) + '"', allow_blank=True)
    ws.add_data_validation(kinds)
    kinds.add("B4")
    ws.column_dimensions["A"].width = 110
    ws.column_dimensions["B"].width = 40

    items = wb.create_sheet("items")
    header = ["item_id", "doc_id", *spec.shown, "text", spec.code, *spec.free, "notes"]
    for j, name in enumerate(header, start=1):
        _put(items, 1, j, name)
        items.cell(row=1, column=j).font = Font(bold=True)
    ids = [f"item{i:04d}" for i in range(1, len(sample) + 1)]
    for i, (item_id, row) in enumerate(zip(ids, sample.to_dict("records")), start=2):
        for j, name in enumerate(header, start=1):
            shown = name in ("doc_id", *spec.shown, "text")  # the code columns stay empty
            _put(items, i, j, item_id if name == "item_id" else row.get(name, "") if shown else "")
        items.cell(row=i, column=header.index("text") + 1).alignment = Alignment(wrap_text=True, vertical="top")
    code_column = header.index(spec.code) + 1
    choice = DataValidation(type="list", formula1=f"codes!$A$2:$A${len(codes) + 1}", allow_blank=True,
                            showErrorMessage=True, errorTitle="Not a code", error="Choose a code from the list")
    items.add_data_validation(choice)
    if len(sample):
        letter = items.cell(row=1, column=code_column).column_letter
        choice.add(f"{letter}2:{letter}{len(sample) + 1}")
    items.freeze_panes = "B2"
    items.column_dimensions[items.cell(row=1, column=header.index("text") + 1).column_letter].width = 80

    sheet = wb.create_sheet("codes")
    for j, name in enumerate(("code", "meaning"), start=1):
        _put(sheet, 1, j, name)
    for i, row in enumerate(codes.itertuples(), start=2):
        _put(sheet, i, 1, row.code)
        _put(sheet, i, 2, row.meaning)

    key = wb.create_sheet("key")
    key.sheet_state = "hidden"
    meta = [("kit_version", KIT_VERSION), ("task", task), ("unit", spec.unit), ("n", str(len(sample))),
            ("seed", str(seed)), ("processed", processed.name)]
    for i, (name, value) in enumerate(meta, start=1):
        _put(key, i, 1, name)
        _put(key, i, 2, value)
    start = len(meta) + 2
    for j, name in enumerate(("item_id", "doc_id", "key_id"), start=1):
        _put(key, start, j, name)
    for i, (item_id, row) in enumerate(zip(ids, sample.to_dict("records")), start=start + 1):
        for j, value in enumerate((item_id, row["doc_id"], row["key_id"]), start=1):
            _put(key, i, j, value)
    _save_deterministic(wb, out)
    return sample.assign(item_id=ids)


def _save_deterministic(wb, path: Path) -> None:
    """Save with fixed document dates and zip timestamps, so the same sample gives the same bytes."""
    fixed = dt.datetime(2000, 1, 1)
    wb.properties.creator = "tifa"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    fixed_zip_times(path)


# ------------------------------------------------------------------ reading a filled sheet
@dataclass
class Filled:
    """One filled sheet, checked: its task, its coder and its coded items."""

    path: Path
    task: str
    coder_id: str
    coder_kind: str
    items: pd.DataFrame  # item_id, doc_id, key_id, text, code (and the optional columns)


def _rows(ws) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def read_filled(path: Path, task: str | None = None) -> Filled:
    """One filled coding sheet, checked: it was made by `coding-sheet`, is of the expected task, names its
    coder, has the columns it was made with, and a valid code on every item."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=False, data_only=True)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:  # not an .xlsx workbook
        raise InputError(path, f"not an .xlsx workbook ({type(exc).__name__}: {exc})") from None
    missing = [s for s in SHEETS if s not in wb.sheetnames]
    if missing:
        raise InputError(path, f"not a sheet made by `tifa coding-sheet` (no sheet {', '.join(missing)})")
    key_rows = _rows(wb["key"])
    meta = {r[0]: r[1] for r in key_rows if len(r) > 1 and r[0] and r[0] != "item_id"}
    found = meta.get("task", "")
    if found not in TASKS:
        raise InputError(path, f"the key names no known task (found {found!r})")
    if task is not None and found != task:
        raise InputError(path, f"wrong task: this sheet codes {found}, expected {task}")
    spec = TASKS[found]
    start = next((i for i, r in enumerate(key_rows) if r[:3] == ["item_id", "doc_id", "key_id"]), None)
    if start is None:
        raise InputError(path, "the hidden key sheet has no item_id, doc_id, key_id table")
    key = pd.DataFrame([r[:3] for r in key_rows[start + 1:] if r and r[0]], columns=["item_id", "doc_id", "key_id"])

    protocol = {r[0]: (r[1] if len(r) > 1 else "") for r in _rows(wb["protocol"]) if r and r[0] in ("coder_id", "coder_kind")}
    coder_id, coder_kind = protocol.get("coder_id", "").strip(), protocol.get("coder_kind", "").strip()
    if not coder_id:
        raise InputError(path, "no coder named: write the coder's name or id in cell B3 of the protocol sheet")
    if coder_kind not in CODER_KINDS:
        raise InputError(path, f"coder_kind (protocol sheet, B4) is {coder_kind!r}; write one of: {'; '.join(CODER_KINDS)}")

    rows = _rows(wb["items"])
    header = rows[0] if rows else []
    needed = ["item_id", "doc_id", "text", spec.code]
    absent = [c for c in needed if c not in header]
    if absent:
        raise InputError(path, f"items sheet: missing column(s) {', '.join(absent)}")
    body = [r + [""] * (len(header) - len(r)) for r in rows[1:] if any(v.strip() for v in r)]
    items = pd.DataFrame([r[:len(header)] for r in body], columns=header)
    items = items.loc[:, ~items.columns.duplicated()]
    items[spec.code] = items[spec.code].str.strip()
    if set(items["item_id"]) != set(key["item_id"]) or len(items) != len(key):
        extra = sorted(set(items["item_id"]) ^ set(key["item_id"]))
        raise InputError(path, f"items sheet and key disagree (item ids added, removed or repeated: {', '.join(extra[:5]) or 'repeated'})")
    if (items[spec.code] == "").all():
        raise InputError(path, f"the sheet was not filled: column {spec.code} is empty on every item")
    empty = items[items[spec.code] == ""]
    if len(empty):
        raise InputError(path, f"{len(empty)} item(s) without a code in {spec.code} (first: {empty['item_id'].iloc[0]}, "
                               f"row {int(empty.index[0]) + 2})")
    # yes/no is fixed; domains come from the codebook the sheet was made with (its 'codes' sheet)
    allowed = list(YES_NO) if spec.name != "domains" else [r[0] for r in _rows(wb["codes"])[1:] if r and r[0]]
    invalid = items[~items[spec.code].isin(allowed)]
    if len(invalid):
        first = invalid.iloc[0]
        raise InputError(path, f"item {first['item_id']} (row {int(invalid.index[0]) + 2}): {spec.code} {first[spec.code]!r} "
                               f"is not a code; allowed: {', '.join(allowed)}")
    items = items.merge(key, on=["item_id", "doc_id"], how="left")
    if items["key_id"].isna().any():
        bad = items[items["key_id"].isna()].iloc[0]
        raise InputError(path, f"item {bad['item_id']}: doc_id {bad['doc_id']!r} differs from the key (was it edited?)")
    columns = ["item_id", "doc_id", "key_id", "text", spec.code, *[c for c in spec.free if c in items.columns]]
    return Filled(path, found, coder_id, coder_kind, items[columns].rename(columns={spec.code: "code"}))


# ------------------------------------------------------------------ the rules' side
def rule_classes(task: str, processed: Path, filled: Filled) -> pd.Series:
    """The class the rules give each item of a filled sheet, after checking that the build still holds
    each item with the same text (a rebuild that re-segmented the sentences would shift the join)."""
    pool = labelled(task, processed)
    joined = filled.items.merge(pool[["doc_id", "key_id", "text", "rule_class"]], on=["doc_id", "key_id"], how="left",
                                suffixes=("", "_build"))
    lost = joined[joined["rule_class"].isna()]
    if len(lost):
        raise InputError(filled.path, f"item {lost['item_id'].iloc[0]} ({lost['doc_id'].iloc[0]} {TASKS[task].unit} "
                                      f"{lost['key_id'].iloc[0]}) is not in {processed}")
    changed = joined[joined["text"] != joined["text_build"].map(_clean)]
    if len(changed):
        raise InputError(filled.path, f"item {changed['item_id'].iloc[0]}: its text differs from {processed} "
                                      "(the corpus was rebuilt with other sentences; score against the build it was drawn from)")
    return pd.Series(joined["rule_class"].to_numpy(), index=filled.items.index)


# ------------------------------------------------------------------ scores
SCORE_COLUMNS = ["task", "files", "coder_id", "coder", "measure", "class", "n", "k", "value", "ci_low", "ci_high", "note"]


def krippendorff_alpha(codings: list[pd.Series]) -> tuple[float, int]:
    """Krippendorff's alpha (nominal) over the items any two coders coded, and that number of items."""
    import krippendorff

    frame = pd.concat(codings, axis=1)
    frame = frame[frame.notna().sum(axis=1) >= 2]
    values = sorted(set(frame.stack()))
    if len(frame) == 0 or len(values) < 2:
        return float("nan"), len(frame)
    index = {v: i for i, v in enumerate(values)}
    matrix = frame.apply(lambda s: s.map(index)).to_numpy(dtype=float).T
    return round(float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal",
                                          value_domain=list(range(len(values))))), 4), len(frame)


def _rate(k: int, n: int) -> dict:
    low, high = wilson(k, n)
    return {"n": n, "k": k, "value": round(k / n, 4) if n else float("nan"), "ci_low": low, "ci_high": high}


def rule_scores(coder: pd.Series, rules: pd.Series) -> list[dict]:
    """Accuracy of the rules against one coder, and per class: recall (of the items the coder put in the
    class, the share the rules put there too) and precision (of the items the rules put in the class, the
    share the coder put there too)."""
    rows = [{"measure": "accuracy", "class": "", **_rate(int((coder == rules).sum()), len(coder))}]
    for cls in sorted(set(coder) | set(rules)):
        both = int(((coder == cls) & (rules == cls)).sum())
        rows.append({"measure": "recall", "class": cls, **_rate(both, int((coder == cls).sum()))})
        rows.append({"measure": "precision", "class": cls, **_rate(both, int((rules == cls).sum()))})
    return rows


def score_coding(paths: list[Path], processed: Path, task: str | None = None) -> pd.DataFrame:
    """Scores of one or more filled sheets of one task: agreement between coders, then the rules against
    each coder. Every row names the coder."""
    from tifa.schemas import validate

    sheets: list[Filled] = []
    for path in paths:
        sheet = read_filled(path, task or (sheets[0].task if sheets else None))
        twin = next((s for s in sheets if s.coder_id == sheet.coder_id), None)
        if twin is not None:
            raise InputError(path, f"coder {sheet.coder_id!r} also coded {twin.path}; each file must be another coder's")
        sheets.append(sheet)
    task = sheets[0].task
    rows = []
    codings = [s.items.set_index(["doc_id", "key_id"])["code"].rename(str(s.path)) for s in sheets]
    alpha, n_items = krippendorff_alpha(codings)
    note = ("one coder: agreement needs two or more filled sheets" if len(sheets) < 2
            else "no item coded by two coders" if n_items == 0
            else "undefined: every coder used the same single code" if np.isnan(alpha) else "")
    rows.append({"task": task, "files": ";".join(str(s.path) for s in sheets), "coder_id": ";".join(s.coder_id for s in sheets),
                 "coder": ";".join(sorted({s.coder_kind for s in sheets})), "measure": "krippendorff_alpha_nominal",
                 "class": "", "n": n_items, "k": 0, "value": alpha, "ci_low": float("nan"), "ci_high": float("nan"), "note": note})
    for sheet in sheets:
        rules = rule_classes(task, processed, sheet)
        for row in rule_scores(sheet.items["code"], rules):
            rows.append({"task": task, "files": str(sheet.path), "coder_id": sheet.coder_id, "coder": sheet.coder_kind,
                         **row, "note": "stratified sample: figures describe the sample, not the corpus"})
    return validate("coding_scores", pd.DataFrame(rows, columns=SCORE_COLUMNS))


def fill_sheet(path: Path, out: Path, codes: Callable[[dict], str], coder_id: str, coder_kind: str) -> None:
    """Fill a sheet programmatically (tests, and a way to load codes typed elsewhere): `codes` maps an
    items row (a dict of its columns) to the code."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    protocol = wb["protocol"]
    protocol["B3"].value, protocol["B4"].value = coder_id, coder_kind
    ws = wb["items"]
    header = [c.value for c in ws[1]]
    column = TASKS[_task_of(wb)].code
    for cells in ws.iter_rows(min_row=2):
        row = dict(zip(header, [c.value for c in cells]))
        cells[header.index(column)].value = codes(row)
    wb.save(out)


def _task_of(wb) -> str:
    return next(r[1] for r in _rows(wb["key"]) if r and r[0] == "task")
