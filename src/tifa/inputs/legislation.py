"""Legislation layout: a tree of Markdown statutes -> `documents/` + `metadata.csv` + `events.csv`.

Each file of the layout (LawRefBook/Laws and its copies) reads

    # 临沂市文明行为促进条例
    2018年8月28日 临沂市第十九届人民代表大会常务委员会第十四次会议通过
    2018年9月21日 山东省第十三届人民代表大会常务委员会第五次会议批准
    <!-- INFO END -->
    ## 第一章  总则
    第一条 为了……

The header (everything before `<!-- INFO END -->`) is read as a chain of dated events.
Lines that do not start with a date continue the line before them (long lines wrap),
and a line may hold several events (…通过并经2021年5月27日…批准的《…决定》修正), so the
header is cut at every date outside a 《title》. Each piece is one event:

* approved   批准 (经…批准, …批准的, unless the piece itself revises: 国务院批准第二次修订)
* revised    修正 / 修订 / 修改, 通过的《…修正案》, or 通过 followed (on the same line or the next)
             by an approval of a revision decision
* adopted    通过
* published  公布 / 发布
* in_force   施行
* dated      a bare date with none of these words

`date` is the latest adoption or revision the text reflects (not an approval, a
publication or the day it entered into force); without either, the latest publication.
The issuer is the body that adopted the text (its earliest adoption or revision,
else its publication): the NPC or its standing committee, the State Council,
a ministry, or a people's congress (or its standing committee) of a place. `level`
follows the issuer, never the title: a city-named regulation adopted by a province is
provincial; a special economic zone's regulation adopted by its city is municipal; an
autonomous county's is `district` (the county tier). A municipal text's province is
the one whose congress approved it, else the `local/<province>/` folder it sits in.

The body written to `documents/<doc_id>.txt` is the text after `<!-- INFO END -->`
with Markdown heading marks removed (`## 第一章  总则` -> `第一章  总则`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tifa.errors import InputError

INFO_END = "<!-- INFO END -->"
EVENT_TYPES = ("adopted", "approved", "revised", "published", "in_force", "dated")
EVENT_COLUMNS = ("doc_id", "event_no", "date", "event", "body", "level", "text")

# The 31 provincial units (Chinese name as written in headers and pages, English name for labels and ids).
PROVINCES = {
    "北京市": "Beijing", "天津市": "Tianjin", "河北省": "Hebei", "山西省": "Shanxi", "内蒙古自治区": "Inner Mongolia",
    "辽宁省": "Liaoning", "吉林省": "Jilin", "黑龙江省": "Heilongjiang", "上海市": "Shanghai", "江苏省": "Jiangsu",
    "浙江省": "Zhejiang", "安徽省": "Anhui", "福建省": "Fujian", "江西省": "Jiangxi", "山东省": "Shandong",
    "河南省": "Henan", "湖北省": "Hubei", "湖南省": "Hunan", "广东省": "Guangdong", "广西壮族自治区": "Guangxi",
    "海南省": "Hainan", "重庆市": "Chongqing", "四川省": "Sichuan", "贵州省": "Guizhou", "云南省": "Yunnan",
    "西藏自治区": "Tibet", "陕西省": "Shaanxi", "甘肃省": "Gansu", "青海省": "Qinghai", "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang",
}
SHORT_PROVINCE = {re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", name): name for name in PROVINCES}
FOLDER_ISSUER = {"行政法规": "国务院"}  # central/行政法规/ holds State Council regulations only
NATIONAL = ("全国 (national)", "中华人民共和国 (China, national)")  # province and region of central texts, as the seeds

DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
TITLE = re.compile(r"《[^《》]*(?:《[^《》]*》[^《》]*)*》")  # one level of nested 《》 (〈〉 and <> nest inside)
FILE_DATE = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)$")
LINE_START = re.compile(r"^[（(]?\d{4}年\d{1,2}月\d{1,2}日")

# Bodies, tried in this order on the piece of header that follows a date.
CONGRESS = re.compile(r"(全国|[\u4e00-\u9fff]{2,15}?(?:省|自治区|市|自治州|自治县|县|区|盟|旗)|" + "|".join(SHORT_PROVINCE) +
                      r")(?:第[一二三四五六七八九十]+届)?"
                      r"(?:人民代表大?会|人大)(常务委员会|常委会)?")  # 人大常委会 and one typo (人民代表会) occur
CENTRAL_BODY = re.compile(r"国务院、中华人民共和国中央军事委员会|国务院、中央军事委员会|中央军事委员会|中央军委|国务院|政务院")
MINISTRY = re.compile(r"(?:中华人民共和国)?([\u4e00-\u9fff]{2,20}?(?:部|总局|总署|委员会|局|署|银行|办公室))(?:、[\u4e00-\u9fff]{2,20}?)?"
                      r"(?:令|发布|公布|批准|第\d+[号次]|\d{4}年第|[\u4e00-\u9fff]{1,4}会议)")
TITLE_BODY = re.compile(r"^《(全国人民代表大会常务委员会|全国人民代表大会|国务院、中央军事委员会|国务院、中央军委|国务院|[\u4e00-\u9fff]{2,15}?(?:省|自治区|市|自治州|自治县|县)"
                        r"人民代表大会(?:常务委员会)?)关于")


@dataclass
class Event:
    date: str
    event: str
    body: str
    text: str


@dataclass
class Statute:
    """One file of the layout, read."""

    path: Path
    title: str
    events: list[Event]
    body: str
    issuer: str = ""
    issuer_event: Event | None = None
    level: str = ""
    province: str = ""
    region: str = ""
    date: str = ""
    date_event: Event | None = None
    notes: list[str] = field(default_factory=list)


def iso_date(y: str, m: str, d: str, path: Path) -> str:
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        raise InputError(path, f"impossible date {y}年{m}月{d}日 in the header") from None


def split_header(path: Path, text: str) -> tuple[str, list[str], str]:
    """(title, dated header lines with their wrapped continuations joined, body) of one file."""
    if INFO_END not in text:
        raise InputError(path, f"no '{INFO_END}' line: not a statute of the legislation layout")
    head, _, body = text.partition(INFO_END)
    lines = [unicodedata.normalize("NFKC", line).strip() for line in head.splitlines() if line.strip()]  # ２００２年 -> 2002年
    titles = [line.lstrip("#").strip() for line in lines if line.startswith("#")]
    if not titles or not titles[0]:
        raise InputError(path, "no '# title' line before the header")
    dated: list[str] = []
    for line in lines:
        if line.startswith("#"):
            continue
        if LINE_START.match(line):
            dated.append(line)
        elif dated and not dated[-1].endswith(("。", "：")):  # a wrapped line continues the one before
            dated[-1] += line
    return " ".join(titles), dated, body


def body_of(piece: str) -> str:
    """The body named in one piece of header (after its date), or '' if none is named."""
    bare = TITLE.sub("《》", piece)
    bare = re.sub(r"^\s*[经在由]", "", bare)  # 经济宁市… = 经 + 济宁市…
    m = CONGRESS.search(bare)
    if m:
        place = SHORT_PROVINCE.get(m.group(1), m.group(1))  # 山东第十二届… (省 left out) is 山东省
        return place + "人民代表大会" + ("常务委员会" if m.group(2) else "")
    m = CENTRAL_BODY.search(bare)
    if m:
        return m.group(0).replace("中华人民共和国", "").replace("中央军委", "中央军事委员会")
    m = MINISTRY.search(bare)
    if m:
        return m.group(1)
    for title in TITLE.findall(piece):  # 《国务院关于修改…的决定》 names its body
        m = TITLE_BODY.match(title)
        if m:
            return m.group(1).replace("中央军委", "中央军事委员会")
    return ""


def event_type(piece: str, following: str) -> str:
    """The kind of event one piece of header records (see the module docstring)."""
    bare = TITLE.sub("《》", piece)
    revises = re.search(r"修正|修订|修改", bare)
    if "批准" in bare and (not revises or "批准的" in bare or bare.lstrip().startswith("经")):
        return "approved"
    if revises:
        return "revised"
    if "通过" in bare:
        if re.search(r"通过的《[^》]*(?:修正案|修改)", piece):  # 通过的《中华人民共和国刑法修正案(十二)》
            return "revised"
        next_bare = TITLE.sub("《》", following)
        return "revised" if "批准" in next_bare and re.search(r"修正|修订", next_bare) else "adopted"
    if re.search(r"公布|发布", bare):
        return "published"
    if "施行" in bare:
        return "in_force"
    return "dated"


def header_events(path: Path, lines: list[str]) -> list[Event]:
    """Every dated event of the header, in the order written."""
    events = []
    for line in lines:
        masked = TITLE.sub(lambda m: "《" + "＿" * (len(m.group(0)) - 2) + "》", line)  # dates inside titles are not events
        dates = list(DATE.finditer(masked))
        pieces = [line[m.end(): dates[k + 1].start() if k + 1 < len(dates) else len(line)] for k, m in enumerate(dates)]
        kinds = [event_type(piece, pieces[k + 1] if k + 1 < len(pieces) else "") for k, piece in enumerate(pieces)]
        for k in range(len(pieces) - 2, -1, -1):  # 国务院第120次常务会议、2010年3月29日中央军事委员会常务会议修订
            if kinds[k] == "dated" and pieces[k].rstrip().endswith(("、", "和")):
                kinds[k] = kinds[k + 1]
        events += [Event(iso_date(*m.groups(), path), kinds[k], body_of(pieces[k]), line) for k, m in enumerate(dates)]
    for before, after in zip(events, events[1:]):  # …通过 on one line, …批准的《…决定》修正 on the next: a revision
        if before.event == "adopted" and after.event == "approved" and before.text != after.text \
                and re.search(r"修正|修订|修改", after.text):
            before.event = "revised"
    return events


def body_level(body: str) -> tuple[str, str]:
    """(level, place) of an issuing body: the place is the province or city whose congress it is."""
    m = re.match(r"(.+?)人民代表大会", body)
    if not m or m.group(1) == "全国":
        return ("central", "") if body else ("", "")
    place = m.group(1)
    if place in PROVINCES:
        return "provincial", place
    if place.endswith(("自治县", "县", "旗")) or (place.endswith("区") and not place.endswith("自治区")):
        return "district", place
    return "municipal", place


def folder_province(path: Path, root: Path) -> str:
    """The province named by a folder of the file's path (local/山东/…), or ''."""
    for part in path.relative_to(root).parts[:-1]:
        if part in PROVINCES:
            return part
        if part in SHORT_PROVINCE:
            return SHORT_PROVINCE[part]
    return ""


def label(province: str) -> str:
    return f"{province} {PROVINCES[province]}"


def read_statute(path: Path, root: Path) -> Statute:
    """Title, events, issuer, level, place and date of one file; stop naming the file if its header cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 at byte {exc.start}") from None
    title, lines, raw_body = split_header(path, text)
    body = "\n".join(re.sub(r"^#+\s*", "", line) for line in raw_body.strip().splitlines()) + "\n"
    if not body.strip():
        raise InputError(path, "no text after the header")
    events = header_events(path, lines)
    statute = Statute(path, title, events, body)
    top = path.relative_to(root).parts[0]
    for kinds in (("adopted", "revised"), ("published",), ("dated",)):  # the earliest adoption (or revision) names the issuer
        with_body = sorted((e for e in events if e.event in kinds and e.body), key=lambda e: (e.date, e.event != "adopted"))
        if with_body:
            statute.issuer, statute.issuer_event = with_body[0].body, with_body[0]
            break
    if statute.issuer:
        statute.level, place = body_level(statute.issuer)
    elif top == "central":
        statute.level, place = "central", ""
        folders = path.relative_to(root).parts[1:-1]
        statute.issuer = FOLDER_ISSUER.get(folders[0], "") if folders else ""
        if folders[:1] == ("部门规章",) and len(folders) > 1:
            statute.issuer = folders[1]  # central/部门规章/<ministry>/
        statute.notes.append("issuer not named in the header; central from the folder 'central/'"
                             + (f", issuer {statute.issuer} from the folder {'/'.join(folders)}" if statute.issuer else ""))
    else:
        raise InputError(path, "the header names no adopting body (…人民代表大会常务委员会…通过, 国务院令…公布)"
                               + (f"; its lines: {' | '.join(lines)[:200]}" if lines else "; it has no dated line"))
    if statute.level == "central":
        statute.province, statute.region = NATIONAL
    elif statute.level == "provincial":
        statute.province, statute.region = label(place), place
    else:
        approvers = [body_level(e.body)[1] for e in events if e.event == "approved" and body_level(e.body)[0] == "provincial"]
        province = approvers[0] if approvers else folder_province(path, root)
        if not approvers:
            statute.notes.append(f"no provincial approval in the header; province from the folder ({province or 'none'})")
        statute.province = label(province) if province else "unknown"
        statute.region = (province if province and not place.startswith(province) else "") + place
    if statute.level == "central" and top != "central" or statute.level != "central" and top == "central":
        warnings.warn(f"{path}: the header's adopting body ({statute.issuer}) is {statute.level}, "
                      f"the folder {top}/ says otherwise; level kept from the header", stacklevel=2)
    for kinds in (("adopted", "revised"), ("published",), ("approved",), ("dated",)):
        dated = [e for e in events if e.event in kinds]
        if dated:
            statute.date_event = max(dated, key=lambda e: e.date)
            break
    else:
        named = FILE_DATE.search(path.stem)
        if not named:
            raise InputError(path, "neither the header nor the file name (…(YYYY-MM-DD).md) dates the text"
                                   + (f"; its lines: {' | '.join(lines)[:200]}" if lines else ""))
        statute.date_event = Event(iso_date(*named.groups(), path), "dated", "", f"file name {path.name}")
        statute.notes.append("no dated adoption, revision, publication or approval in the header; date from the file name")
    statute.date = statute.date_event.date
    return statute


def doc_id_of(path: Path, root: Path, prefix: str) -> str:
    """Stable id: prefix + a hash of the path inside the imported folder (unchanged when rules change)."""
    from tifa.inputs.importer import slug

    digest = hashlib.sha256(path.relative_to(root).as_posix().encode("utf-8")).hexdigest()[:10]
    return f"{slug(prefix)}-{digest}" if prefix else f"law-{digest}"


def metadata_row(statute: Statute, doc_id: str, root: Path) -> dict:
    issuer_line = statute.issuer_event.text if statute.issuer_event else "; ".join(statute.notes)
    return {
        "doc_id": doc_id, "source_file": statute.path.relative_to(root).as_posix(),
        "sha256": hashlib.sha256(statute.body.encode("utf-8")).hexdigest(), "level": statute.level,
        "province": statute.province, "region": statute.region,
        "region_evidence": "; ".join([f"header: {issuer_line}"] + statute.notes),
        "year": statute.date[:4], "year_evidence": f"header: {statute.date_event.text}",
        "date": statute.date, "date_evidence": f"latest {statute.date_event.event} in the header: {statute.date_event.text}",
        "genre": "regulation", "issuer": statute.issuer or "unknown", "issuer_evidence": f"header: {issuer_line}",
        "title": statute.title,
    }


def read_folder(folder: Path, prefix: str = "") -> tuple[list[tuple[dict, str]], pd.DataFrame, list[str]]:
    """(metadata row and body of every statute, their events, notes on files left out) of a folder tree."""
    if not folder.is_dir():
        raise InputError(folder, "folder not found")
    files = sorted(folder.rglob("*.md"), key=lambda p: p.relative_to(folder).as_posix())
    if not files:
        raise InputError(folder, "no .md files in the folder or below it")
    rows, events, skipped, seen = [], [], [], {}
    for path in files:
        statute = read_statute(path, folder)
        doc_id = doc_id_of(path, folder, prefix)
        meta = metadata_row(statute, doc_id, folder)
        if meta["sha256"] in seen:  # one law filed under two branches of the law: keep the first path
            note = f"{meta['source_file']}: same text as {seen[meta['sha256']]}, not imported twice"
            warnings.warn(note, stacklevel=2)
            skipped.append(note)
            continue
        seen[meta["sha256"]] = meta["source_file"]
        rows.append((meta, statute.body))
        events += [{"doc_id": doc_id, "event_no": k, "date": e.date, "event": e.event, "body": e.body or None,
                    "level": body_level(e.body)[0] or None, "text": e.text} for k, e in enumerate(statute.events, start=1)]
    from tifa.schemas import validate

    return rows, validate("events", pd.DataFrame(events, columns=list(EVENT_COLUMNS))), skipped


def import_folder(folder: Path, raw_dir: Path, prefix: str = "", template: Path | None = None) -> list[str]:
    """Add every statute under `folder` to the collection in `raw_dir` (documents, metadata.csv rows and
    `events.csv` rows); return the new doc ids. Nothing is written unless every file is read."""
    from tifa.config import DATA_RAW
    from tifa.inputs.importer import write_rows

    rows, events, _ = read_folder(folder, prefix)
    ids = write_rows(folder, raw_dir, rows, DATA_RAW if template is None else template)
    events_path = raw_dir / "events.csv"
    if events_path.exists():
        events = pd.concat([pd.read_csv(events_path, dtype=str, keep_default_na=False), events.astype(str)])
    events.to_csv(events_path, index=False, encoding="utf-8", lineterminator="\n")
    return ids
