"""Structure in scraped layouts (issue 13 §3): one-line pages, full-width-space paragraphs, half-width
punctuation, CRLF, GB18030, bylines, site footers, regulations; and the priority rules they exposed.

The fixtures in tests/fixtures/ are written for these tests (see tests/fixtures/README.md):
scraped_notice_* are one provincial notice in six layouts.
"""

import warnings
from pathlib import Path

import pandas as pd
import pytest

from tifa.stages.extract import (achievements, classify_heading, code_domain, priority_tables, rejection_reason,
                          section_roles, target_rows)
from tifa.inputs.load import decode, read_codebook, tokenizer
from tifa.text.normalise import normalise
from tifa.text.structure import back_matter_start, paragraphs, structure

FIXTURES = Path(__file__).parent / "fixtures"

NOTICE_OUTLINE = [
    ("1", "一、", "2022年工作情况"), ("2", "二、", "重点任务"),
    ("2.1", "（一）", "科学制定抽检计划"), ("2.1.1", "1.", "聚焦高风险品种"), ("2.1.2", "2.", "突出问题导向"),
    ("2.1.3", "3.", "统筹省市县三级任务"),
    ("2.2", "（二）", "强化核查处置"), ("2.2.1", "1.", "不合格食品核查处置率达到100%，在规定时限内完成立案调查"),
    ("2.2.2", "2.", "对涉嫌犯罪的，及时移送公安机关，做到应移尽移、应收尽收"),
    ("2.2.3", "3.", "建立问题食品追溯台账，对同一企业连续两次抽检不合格的，列入重点监管名单，加大监督检查频次"),
    ("2.3", "（三）", "加强信息公开"), ("2.3.1", "一是", "按月公布抽检信息，主动接受社会监督"),
    ("2.3.2", "二是", "对群众关注的热点品种开展专项抽检并公布结果，引导放心消费"),
    ("2.3.3", "三是", "做好食品安全风险交流，及时回应社会关切"),
    ("2.4", "（四）", "提升检验能力"),
    ("3", "三、", "工作要求"), ("3.1", "（一）", "加强组织领导"), ("3.2", "（二）", "严格经费管理"),
    ("3.3", "（三）", "按时报送材料"),
]


def normalised(name: str, encoding: str | None = None) -> str:
    return normalise(decode(FIXTURES / name, encoding))


def outline_of(text: str) -> list[tuple[str, str, str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outline, _ = structure("t", text)
    return list(zip(outline["node_id"], outline["marker"], outline["heading"]))


@pytest.fixture(scope="module")
def coding():
    from tifa.config import DATA_RAW

    return read_codebook(DATA_RAW), tokenizer(DATA_RAW)


def extract_all(text: str, coding, year: int = 2023):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outline, sentences = structure("t", text)
        sections = section_roles("t", text, outline, year)
        items, targets, rejected = priority_tables("t", text, outline, sections, sentences, *coding)
    return sections, items, targets, rejected


# ------------------------------------------------------------------ one notice, six layouts
def test_one_line_notice_with_full_width_space_paragraphs_gets_its_outline():
    text = normalised("scraped_notice_oneline.txt")
    assert text.count("\n") == 1  # the page arrives as a single line
    assert outline_of(text) == NOTICE_OUTLINE


@pytest.mark.parametrize("name, encoding", [("scraped_notice_halfwidth.txt", None), ("scraped_notice_crlf.txt", None),
                                            ("scraped_notice_gb18030.txt", "gb18030")])
def test_other_layouts_of_the_notice_give_the_same_outline(name, encoding):
    assert outline_of(normalised(name, encoding)) == NOTICE_OUTLINE


def test_a_single_line_without_any_break_still_gives_the_outline():
    """Markers after 。 and （一） right after an unpunctuated heading; only headings that run
    straight into their text (一、2022年工作情况2022年，…) cannot be cut."""
    got = outline_of(normalised("scraped_notice_nobreaks.txt"))
    assert [(i, m) for i, m, _ in got] == [(i, m) for i, m, _ in NOTICE_OUTLINE]
    assert got[1:] == NOTICE_OUTLINE[1:]


def test_half_width_full_stops_end_sentences_and_open_markers():
    """A scraped page in half-width punctuation, without spaces: 行为.二、 and 100%.二、 used to stay inside
    the first item (one node instead of two), since normalisation keeps "." (it may be a decimal point)."""
    text = normalise("各县(市、区)市场监管局:现通知如下:一、加强价格监督检查，查处价格违法行为.不合格食品核查处置率达到100%."
                     "二、深化改革，优化营商环境.各地要按时报送工作进展.三、守牢安全底线.抽检合格率98.5%以上.")
    assert outline_of(text) == [("1", "一、", "加强价格监督检查，查处价格违法行为"), ("2", "二、", "深化改革，优化营商环境"),
                                ("3", "三、", "守牢安全底线")]
    _, sentences = structure("t", text)
    assert "不合格食品核查处置率达到100%." in sentences["text"].tolist()
    assert "抽检合格率98.5%以上." in sentences["text"].tolist()  # a decimal point is not a sentence end


def test_full_width_spaces_mark_paragraphs_of_a_one_line_page():
    text = normalise("\u3000\u3000第一段讲形势。\u3000\u3000第二段讲任务，要加强监管。\u3000\u3000第三段。")
    assert [text[s:e] for s, e in paragraphs(text)] == ["第一段讲形势。", "第二段讲任务，要加强监管。", "第三段。"]


def test_a_stray_space_in_a_multi_line_document_is_not_a_paragraph():
    """Gansu: "…查处力度； 在建立信用…" stays one paragraph (the seeds are not run-on)."""
    text = "一、总体要求\n第一句。\n第二句；\n强化查处力度； 在建立信用上出实招。\n"
    assert len(paragraphs(text)) == 4


@pytest.mark.parametrize("name", ["scraped_notice_oneline.txt", "scraped_notice_nobreaks.txt", "scraped_notice_crlf.txt"])
def test_site_footer_signature_and_date_are_back_matter(name, coding):
    text = normalised(name)
    back = text[back_matter_start(text):]
    assert back.split() == [] or "".join(back.split()).startswith("河北省市场监督管理局2023年3月1日（此件公开发布）更多信息请关注")
    assert "打印本页" in back and "关闭窗口" in back
    sections, *_ = extract_all(text, coding)
    assert sections["role"].tolist() == ["preamble", "review", "plan", "requirements", "back_matter"]
    assert sections.iloc[-1]["start"] == back_matter_start(text)
    assert sections.iloc[-2]["end"] == back_matter_start(text)  # 三、工作要求 stops before the signature


def test_the_notice_priorities_targets_and_requirements(coding):
    _, items, targets, rejected = extract_all(normalised("scraped_notice_oneline.txt"), coding)
    tasks = items[items["role"] == "task"]
    assert tasks["node_id"].tolist() == ["2.1.1", "2.1.2", "2.1.3", "2.2.1", "2.2.2", "2.2.3", "2.3.1", "2.3.2",
                                         "2.3.3", "2.4"]
    assert items[items["role"] == "requirement"]["item_id"].tolist() == ["t-r01", "t-r02", "t-r03"]
    assert rejected.empty
    four = targets[targets["value"] == "4.5"].iloc[0]
    assert (four.item_id, four.comparator, four.scale, four.unit, four.period) == ("t-p01", ">=", "万", "批次", "全年")


def test_one_line_notice_whose_top_level_items_are_tasks(coding):
    """一、 items that are the tasks themselves, on a one-line page: each section is one priority (there used
    to be none: leaves must be depth 2, and the page's single paragraph lies in no section)."""
    text = normalise("各有关单位：现就做好有关工作通知如下。一、开展药品安全专项整治，规范药品流通秩序。查办案件400件以上，"
                     "确保取得实效。二、规范网络交易秩序，压实平台主体责任。不合格食品核查处置率达到100%。")
    _, items, targets, _ = extract_all(text, coding)
    assert items["title"].tolist() == ["开展药品安全专项整治，规范药品流通秩序", "规范网络交易秩序，压实平台主体责任"]
    assert targets["value"].tolist() == ["400", "100"]


def test_imported_scraped_page_gets_its_sections():
    """The first row of the importer's fixture (tests/fixtures/import): a notice on one line."""
    content = pd.read_csv(FIXTURES / "import" / "hebei_scraped.csv")["内容"][0]
    text = normalise(content)
    assert [m for _, m, _ in outline_of(text)] == ["一、", "二、", "三、"]
    assert text[back_matter_start(text):].split()[0].startswith("更多信息请关注")


# ------------------------------------------------------------------ bylines, inline lists, regulations
def test_byline_is_front_matter_and_signature_back_matter(coding):
    text = normalised("speech_byline.txt")
    got = outline_of(text)
    assert [m for _, m, _ in got] == ["一、", "一是", "二是", "二、", "（一）", "一是", "二是", "（二）", "一要", "二要"]
    assert "——" not in [m for _, m, _ in got]
    sections, items, _, _ = extract_all(text, coding)
    assert sections["role"].tolist() == ["preamble", "review", "plan", "back_matter"]
    assert "——2023年2月10日在全省市场监管工作会议上" in text[: sections.iloc[0]["end"]]
    assert text[sections.iloc[-1]["start"]:].split() == ["省市场监督管理局办公室", "2023年2月12日"]
    assert items["title"].tolist() == ["深化商事制度改革，全面推行企业开办一网通办", "落实落细帮扶政策，帮助个体工商户纾困解难",
                                       "压实食品安全主体责任", "加强特种设备安全监管"]


def test_gwr_byline_is_not_a_plan_section(coding):
    """"——2023年3月5日在…会议上" used to be a dash node at the top, hence a "plan" section."""
    text = normalise("政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n国务院总理 李克强\n各位代表：\n"
                     "一、过去一年工作回顾\n过去一年取得了来之不易的成绩。\n二、对今年政府工作的建议\n今年要稳字当头。\n")
    sections, *_ = extract_all(text, coding)
    assert sections["heading"].tolist() == ["(preamble)", "过去一年工作回顾", "对今年政府工作的建议"]
    assert sections["role"].tolist() == ["preamble", "review", "plan"]


def test_unnumbered_report_headings_are_the_top_level(coding):
    """A report whose parts are headed by unnumbered lines: before, both parts fell into the
    preamble or under （一）, so the review gave no achievements."""
    text = normalised("report_unnumbered_headings.txt")
    got = outline_of(text)
    assert got[0] == ("1", "", "“十四五”时期工作回顾")
    assert ("2", "", "2026年重点工作") in got
    assert [(n, m) for n, m, _ in got if m.startswith("（")] == [("2.1", "（一）"), ("2.2", "（二）")]
    sections, items, _, _ = extract_all(text, coding, 2026)
    assert sections["role"].tolist() == ["preamble", "review", "plan", "back_matter"]
    assert text[back_matter_start(text):].split() == ["相关报道："]  # a related-links block ends the page
    assert items["title"].tolist() == ["持续扩大有效需求", "全面优化营商环境"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, sentences = structure("t", text)
    claims = achievements("t", sections, sentences, 2026, *coding)
    assert {"1.2万亿元", "52万户"} <= set(claims["claim"].str.extract(r"([\d.]+万(?:亿元|户))")[0].dropna())
    assert sentences.loc[sentences["text"] == "深入实施提振消费专项行动。", "section_path"].tolist() == \
        ["2026年重点工作 > （一）"]


@pytest.mark.parametrize("text", [
    "2026年重点工作安排\n（一）扩大内需\n开展消费提振行动。\n",  # the title line is never a heading
    "报告\n一、过去一年工作回顾\n取得成效。\n重点工作\n二、今年工作\n（一）扩大内需\n",  # numbered top level wins
    "报告\n今年重点工作，要抓好三件事\n（一）扩大内需\n",  # punctuation: a sentence, not a heading
    "报告\n这是全面贯彻落实党的二十大精神、扎实推进重点工作的关键一年\n（一）扩大内需\n",  # too long
])
def test_lines_that_are_not_unnumbered_headings(text):
    assert all(m for _, m, _ in outline_of(normalise(text)))


def test_inline_list_without_a_heading_is_not_a_section():
    assert outline_of("我们要做到：一是加强监管；二是优化服务；三是改进作风。\n") == []
    got = outline_of("一、重点任务\n我们要做到：一是加强监管；二是优化服务。\n")
    assert [(i, m) for i, m, _ in got] == [("1", "一、"), ("1.1", "一是"), ("1.2", "二是")]


def test_regulation_chapters_and_articles_are_structure_not_priorities(coding):
    text = normalised("regulation_articles.txt")
    got = outline_of(text)
    assert [(i, m) for i, m, _ in got] == [
        ("1", "第一章"), ("1.1", "第一条"), ("1.2", "第二条"), ("2", "第二章"), ("2.1", "第三条"), ("2.1.1", "（一）"),
        ("2.1.2", "（二）"), ("2.1.3", "（三）"), ("2.2", "第四条"), ("3", "第三章"), ("3.1", "第五条")]
    assert got[0][2] == "总则" and got[3][2] == "使用管理"
    _, items, _, rejected = extract_all(text, coding)
    assert items["title"].tolist() == ["建立电梯安全管理制度", "配备电梯安全管理人员", "按规定申报定期检验"]
    assert rejected["node_id"].tolist() == ["1.1", "1.2", "2.2", "3.1"]
    assert rejected["reason"].str.startswith("chapter or article").all()


def test_article_numbers_beyond_ninety_nine():
    got = outline_of("第九十九条 本条规定甲。第一百条 本条规定乙。第一百零一条 本条规定丙。\n")
    assert [m for _, m, _ in got] == ["第九十九条", "第一百条", "第一百零一条"]


def test_a_reference_to_an_article_is_not_a_heading():
    assert outline_of("依据本法第十条的规定处理。第三十条另有规定的除外。\n") == []


# ------------------------------------------------------------------ section roles read words
@pytest.mark.parametrize("heading, role", [
    ("对未取得食品经营许可的经营者开展专项整治", "plan"),  # 取得 inside 未取得 made it "review"
    ("推动质量强省建设取得新成效", "plan"),
    ("2021年市场监管工作成效显著", "review"),
    ("过去一年工作回顾", "review"),
    ("主要工作成绩", "review"),
    ("工作要求", "requirements"),
])
def test_section_roles_read_heading_words(heading, role):
    assert classify_heading(heading, 2023) == role


# ------------------------------------------------------------------ task-like titles
@pytest.mark.parametrize("title, reason", [
    ("2", "fewer than 4 Han"),  # "2" left over from M₂ in a scraped formula
    ("、", "fewer than 4 Han"),
    ("第三章 监督检查", "chapter or article"),
    ("附件1：食品安全抽检任务分解表", "form, table"),
    ("2023年食品生产企业信息登记表", "form, table"),
    ("加强食品安全监管", ""),
])
def test_rejection_reasons(title, reason):
    assert (reason in rejection_reason(title)) if reason else rejection_reason(title) == ""


def test_fragments_and_forms_are_listed_in_priority_rejections(coding):
    text = "二、2023年重点任务\n（一）加强食品安全监管。\n（二）、\n（三）2\n（四）附件1：食品安全抽检任务分解表\n"
    _, items, _, rejected = extract_all(text, coding)
    assert items["title"].tolist() == ["加强食品安全监管"]
    assert rejected[["node_id", "title"]].values.tolist() == [["1.2", "、"], ["1.3", "2"], ["1.4", "附件1：食品安全抽检任务分解表"]]


# ------------------------------------------------------------------ targets
def test_a_ranking_of_cities_is_not_targets():
    """Issue 13: this ranking became four targets, the text cut inside 邯郸."""
    rows = target_rows("d", "i", "各地按时完成抽检任务，其中任务完成率排名靠前的是：保定市95.7%、唐山市93.91%、邯郸市92.3%、"
                                 "石家庄市91.8%。全年抽检量不少于4.5万批次，全市抽检合格率达到98%以上。")
    assert [(r["value"], r["comparator"]) for r in rows] == [("4.5", ">="), ("98", ">=")]


# ------------------------------------------------------------------ domain ties
def test_domain_tie_is_resolved_by_title_words(coding):
    """放心消费 in the title beats price words in the body (Wuchang p13 was coded price_fee)."""
    body = "开展放心消费创建，推行格式合同示范文本。加强水电气暖、物业收费、民生商品价格监管，查处价格违法行为，维护供水供电供气秩序。"
    assert code_domain("营造放心消费环境", body, *coding)[0] == "consumer_protection"


def test_domain_body_tie_is_resolved_by_words_of_the_title(coding):
    """帮扶政策 for firms: equal body hits for pandemic, price and registration; 市场主体 in the title
    is part of the registration keywords (Gansu p05 was coded pandemic_control)."""
    body = "受疫情影响，个体工商户经营困难。落实涉企收费清理，帮助个体工商户渡过疫情难关。"
    assert code_domain("落实落细帮扶政策，帮助市场主体应对下行压力", body, *coding)[0] == "business_environment_registration"
