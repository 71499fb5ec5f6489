"""Generated corpora (hypothesis): documents from a small grammar of headings, enumerators, numbers,
masks and formulations, in the layouts scraped sites use, must keep every character and build every table."""

from __future__ import annotations

import hashlib
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tifa.config import DATA_RAW
from tifa.inputs.load import METADATA_COLUMNS, Document
from tifa.pipeline import process_document

CN = "一二三四五六七八九十"
ENUMERATORS = [
    st.sampled_from(CN).map(lambda c: f"{c}、"),
    st.sampled_from(CN).map(lambda c: f"（{c}）"),
    st.integers(1, 12).map(lambda k: f"{k}."),
    st.integers(1, 12).map(lambda k: f"{k}．"),
    st.sampled_from(CN[:6]).map(lambda c: f"第{c}条"),
    st.sampled_from(CN[:6]).map(lambda c: f"{c}是"),
    st.sampled_from(CN[:6]).map(lambda c: f"{c}要"),
]
FORMULATIONS = ["放管服", "四个最严", "大市场、大质量、大监管", "全面从严治党", "中国式现代化", "两个确立",
                "习近平新时代中国特色社会主义思想", "高质量发展", "营商环境"]
CLAUSES = ["深化改革", "加强食品安全监管", "推进质量强市建设", "开展专项整治行动", "完善信用监管体系",
           "持续优化营商环境", "守牢安全底线", "提升知识产权保护水平", "强化特种设备安全", "压实工作责任"]
NUMBERS = st.one_of(
    st.integers(0, 99999).map(str),
    st.tuples(st.integers(0, 999), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]}%"),
    st.integers(1, 99).map(lambda k: f"{k}.{k % 10}万件"),
    st.sampled_from(["××", "***", "××.××", "＊＊＊", "×××万元"]),
    st.sampled_from(["三", "十二", "两", "百分之五"]),
)
MASKS = st.sampled_from(["××", "***", "×" * 40, "＊＊", "*市", "×××县"])
FRAGMENT = st.one_of(st.sampled_from(CLAUSES), st.sampled_from(FORMULATIONS), NUMBERS, MASKS,
                     st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=8))
SENTENCE = st.tuples(st.lists(FRAGMENT, min_size=1, max_size=5), st.sampled_from(["。", "；", "！", "：", "，", ""])) \
    .map(lambda t: "，".join(t[0]) + t[1])
PARAGRAPH = st.one_of(
    st.tuples(st.one_of(st.just(""), *ENUMERATORS), st.lists(SENTENCE, min_size=1, max_size=4))
    .map(lambda t: t[0] + "".join(t[1])),
    st.sampled_from(["“十四五”时期工作回顾", "2023年重点工作", "过去一年工作回顾"]),  # unnumbered headings
)
FOOTERS = ["", "更多信息请关注河北省市场监督管理局网站", "打印本页 关闭窗口", "【打印本页】【关闭窗口】"]
LAYOUTS = ["lines", "one_line", "fullwidth", "halfwidth", "crlf", "blank_lines"]


@st.composite
def documents(draw) -> str:
    """Title, paragraphs (some with enumerators), maybe a footer, in one of the scraped layouts."""
    title = draw(st.sampled_from(["2023年全市市场监管工作要点", "在全省市场监管工作会议上的讲话", "关于做好有关工作的通知", ""]))
    paras = [p for p in [title] + draw(st.lists(PARAGRAPH, min_size=1, max_size=12)) + [draw(st.sampled_from(FOOTERS))] if p]
    layout = draw(st.sampled_from(LAYOUTS))
    if layout == "one_line":
        return "".join(paras)
    if layout == "fullwidth":
        return "　　" + "　　".join(paras)
    if layout == "halfwidth":
        return "\n".join(paras).translate(str.maketrans("，。：；（）！", ",.:;()!"))
    if layout == "crlf":
        return "\r\n".join(paras) + "\r\n"
    if layout == "blank_lines":
        return "\n\n".join(paras) + "\n"
    return "\n".join(paras) + "\n"


def _process(text: str):
    meta = {c: "x" for c in METADATA_COLUMNS} | {"doc_id": "gen", "level": "municipal", "year": 2023, "date": "2023"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return process_document(Document("gen", Path("gen.txt"), text, meta))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_no_character_is_lost_between_normalised_text_and_sentences(text):
    p = _process(text)
    s = p.sentences
    assert all(p.text[a:b] == t for a, b, t in zip(s["start"], s["end"], s["text"]))
    assert (s["start"].diff().dropna() > 0).all() and (s["start"].iloc[1:].to_numpy() >= s["end"].iloc[:-1].to_numpy()).all()
    assert "".join("".join(s["text"]).split()) == "".join(p.text.split())
    assert (s["n_chars"] == s["end"] - s["start"]).all()
    o = p.outline
    assert ((o["start"] <= o["end"]) & (o["end"] <= len(p.text))).all()


def _raw_corpus(folder: Path, texts: list[str], levels: list[str]) -> Path:
    folder.mkdir()
    for shared in ("lexicon", "codebook", "glossary"):
        shutil.copytree(DATA_RAW / shared, folder / shared)
    (folder / "documents").mkdir()
    rows = []
    for k, (text, level) in enumerate(zip(texts, levels)):
        data = text.encode("utf-8")
        (folder / "documents" / f"g{k}.txt").write_bytes(data)
        rows.append({c: "generated" for c in METADATA_COLUMNS} | {
            "doc_id": f"g{k}", "source_file": f"g{k}.txt", "sha256": hashlib.sha256(data).hexdigest(), "level": level,
            "year": "2023", "date": "2023-0" + str(k % 9 + 1), "genre": "work_plan" if k % 2 else "speech"})
    pd.DataFrame(rows, columns=list(METADATA_COLUMNS)).to_csv(folder / "metadata.csv", index=False)
    return folder


LEVEL = st.sampled_from(["central", "provincial", "municipal", "district"])


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(documents(), LEVEL), min_size=1, max_size=4,
                unique_by=lambda t: "".join(t[0].split())))
def test_any_generated_corpus_builds_every_table(tmp_path_factory, corpus):
    from tifa.pipeline import build
    from tifa.schemas import TABLES

    tmp = tmp_path_factory.mktemp("gen")
    raw = _raw_corpus(tmp / "raw", [t for t, _ in corpus], [lv for _, lv in corpus])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = build(raw, tmp / "processed", progress=False)
    expected = {name for name, t in TABLES.items() if t.where == "processed"}
    written = {p.stem for p in (tmp / "processed").glob("*.csv")}
    assert expected <= set(tables) and expected <= written, expected - written
    assert set(tables["documents"]["doc_id"]) == {f"g{k}" for k in range(len(corpus))}
