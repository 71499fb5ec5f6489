"""Central texts as sources: reuse passages, dates and lags, typed adaptation, speech-act attribution."""

import pandas as pd
import pytest

from tifa.stages.central import SOURCE_SEP, ReferenceIndex, date_range, holders, lag_days, passages, reduce_text, time_order
from tifa.stages.frames import attributions, compiled_patterns, detect, exclusions


# ------------------------------------------------------------------ dates
def test_dates_as_precise_as_the_text_allows():
    assert [str(d) for d in date_range("2022")] == ["2022-01-01", "2022-12-31"]
    assert [str(d) for d in date_range("2022-02")] == ["2022-02-01", "2022-02-28"]


def test_time_order_and_lag_read_date_intervals():
    baoji = ("2022-01-01", "2022-10-15")  # 以优异成绩迎接党的二十大胜利召开: before the congress opened
    assert time_order(("2021-03-05", "2021-03-05"), baoji) == "before"
    assert time_order(("2022-03-05", "2022-03-05"), baoji) == "undetermined"
    assert time_order(("2022-10-16", "2022-10-16"), baoji) == "impossible"  # after date_high: not merely undetermined
    assert lag_days(("2022-10-16", "2022-10-16"), ("2023-04-27", "2023-04-27")) == (193, 193)
    assert lag_days(("2021-03-05", "2021-03-05"), baoji) == (302, 589)


# ------------------------------------------------------------------ reuse
INTERVALS = {"c": ("2022-10-16", "2022-10-16"), "l": ("2023-01-01", "2023-12-31")}


def found(local: str, central: dict[str, str], names=()) -> list[dict]:
    return passages("l", local, ReferenceIndex(central), central, INTERVALS, names)


def test_seed_and_extend_finds_a_passage_with_a_small_edit():
    central = {"c": "我们要坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，扎实推进各项工作。"}
    rows = found("今年全市工作坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神，抓好落实。", central)
    assert len(rows) == 1
    row = rows[0]
    assert row["local_text"] == "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神"
    assert 0.9 < row["similarity"] < 1 and row["aligned_doc_id"] == "c"


def test_a_short_agreement_after_a_changed_word_is_not_bridged():
    # baoji-2022-speech: Baoji's own slogan 坚决提升质量发展 once passed for 推动高质量发展 (4 characters agreeing)
    # (text as in central-2021-gwr and baoji-2022-speech)
    central = {"c": "要准确把握新发展阶段，深入贯彻新发展理念，加快构建新发展格局，推动高质量发展，为全面建设社会主义现代化国家开好局起好步。"}
    rows = found("（三）围绕构建新发展格局，坚决提升质量发展高线。一要进一步夯实质量基础。", central)
    assert rows == []
    # the same edit followed by a long agreement is a small edit of one passage, and bridged
    rows = found("围绕构建新发展格局，坚决提升质量发展，为全面建设社会主义现代化国家开好局起好步。", central)
    assert [r["local_text"] for r in rows] == ["构建新发展格局，坚决提升质量发展，为全面建设社会主义现代化国家开好局起好步"]


def test_a_gap_across_a_title_or_sentence_boundary_on_one_side_is_not_bridged():
    # weinan-2023-plan: two regulation titles are not the work report's clause
    central = {"c": "修订出台市场主体登记管理、促进个体工商户发展等方面的行政法规，加强市场主体培育工作力度。"}
    rows = found("认真贯彻落实《市场主体登记管理条例》《促进个体工商户发展条例》，持续推进工作。", central)
    assert rows == []
    # baoji-2022-speech: the congress report's sentence end is not the local clause's comma
    central = {"c": "坚持以新时代中国特色社会主义思想。十九大、十九届六中全会精神为引领开展工作部署。"}
    rows = found("深入学习贯彻新时代中国特色社会主义思想，抓好十九届六中全会精神为引领开展工作部署。", central)
    assert all("抓好" not in r["local_text"] for r in rows)


def test_a_passage_that_is_only_a_formulations_name_is_not_reuse():
    central = {"c": "要坚持以习近平新时代中国特色社会主义思想为指导，统筹推进各项工作。"}
    local = "全局上下学习贯彻习近平新时代中国特色社会主义思想为指导的要求。"
    start = local.index("习近平")
    end = local.index("为指导")
    assert [r["local_text"] for r in found(local, central)] == ["习近平新时代中国特色社会主义思想为指导"]
    assert found(local, central, names=[(start, end + 3)]) == []  # one lexicon hit spans every Han character


def test_short_shared_strings_are_not_passages():
    central = {"c": "推动高质量发展，构建新发展格局。"}
    assert found("推动高质量发展，做好市场监管。", central) == []


def test_a_long_run_of_masks_is_not_a_passage():
    central = {"c": "×" * 20_000 + "坚持以习近平新时代中国特色社会主义思想为指导"}
    assert found("×" * 20_000, central) == []


def test_a_text_holds_a_passage_when_one_alignment_covers_most_of_it():
    texts = {"a": "我们要团结在以习近平同志为核心的党中央周围，奋力前行。",
             "b": "全国人民更加紧密地团结在以习近平同志为核心的党中央周围。",
             "c": "以习近平同志为核心。其他内容完全不同，党中央周围是另一回事。"}
    assert holders("紧密团结在以习近平同志为核心的党中央周围", ReferenceIndex(texts)) == ["a", "b"]


def test_a_source_is_identified_only_when_one_text_that_could_precede_holds_the_passage():
    from tifa.stages.central import with_sources

    wording = "坚持把发展经济的着力点放在实体经济上，加快建设制造强国"
    texts = {"early": f"我们要{wording}。", "late": f"今后要{wording}。", "other": "完全不同的内容，没有这句话。",
             "bg-old": f"当年已经提出{wording}。", "bg-new": f"后来又说{wording}。", "bg-undated": "没有这句话。"}
    intervals = {"early": ("2021-03-05", "2021-03-05"), "late": ("2023-03-05", "2023-03-05"),
                 "other": ("2020-01-01", "2020-12-31"), "bg-old": ("2019-01-01", "2019-12-31"),
                 "bg-new": ("2024-01-01", "2024-12-31"), "bg-undated": ("", ""), "doc": ("2022-01-01", "2022-12-31")}
    central_ids = {"early", "late", "other"}
    row = pd.DataFrame([{"doc_id": "doc", "local_text": wording, "aligned_doc_id": "early"}])

    def result(names):
        index = ReferenceIndex({k: texts[k] for k in names})
        return with_sources(row, index, intervals, central_ids).iloc[0]

    alone = result(["early", "late", "other", "bg-new", "bg-undated"])  # the later texts hold it too: counted, not possible
    assert (alone["n_sources"], alone["n_background"], alone["formulaic"]) == (3, 1, True)
    assert alone["source_identified"] and alone["source_doc_id"] == "early" and alone["time_order"] == "before"
    shared = result(["early", "late", "bg-old"])  # an earlier background text holds it: no single source
    assert not shared["source_identified"] and shared["source_doc_id"] == "early" and shared["n_sources"] == 3
    assert "formulaic" in shared["time_flag"]
    texts["bg-undated"] = f"某年某月提出{wording}。"  # an undated text could precede anything
    assert not result(["early", "bg-undated"])["source_identified"]
    late_only = with_sources(row.assign(aligned_doc_id="late"), ReferenceIndex({"late": texts["late"]}), intervals,
                             central_ids).iloc[0]
    assert not late_only["source_identified"] and late_only["time_order"] == "impossible"
    assert late_only["source_doc_id"] == "late" and not late_only["formulaic"]


def test_every_reuse_passage_occurs_in_the_central_text_it_names(built):
    reuse, out = built["central_reuse"], built["_out"]
    assert len(reuse) > 0
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (out / "normalized").glob("*.txt")}
    levels = built["documents"].set_index("doc_id")["level"]
    for r in reuse.itertuples():
        assert levels[r.doc_id] != "central" and levels[r.aligned_doc_id] == "central"
        assert r.aligned_doc_id in r.source_doc_id.split(SOURCE_SEP) or r.time_order == "impossible"
        assert texts[r.doc_id][r.start:r.end] == r.local_text
        assert texts[r.aligned_doc_id][r.source_start:r.source_end] == r.source_text
        local, source = reduce_text(r.local_text)[0], reduce_text(r.source_text)[0]
        if r.similarity == 1:
            assert local == source
        assert r.n_han_chars >= 15
        assert "》《" not in r.local_text and "坚决提升质量发展" not in r.local_text


def test_formulaic_passages_have_no_identified_source(built):
    reuse = built["central_reuse"]
    assert (reuse["formulaic"] == (reuse["n_sources"] >= 2)).all()
    assert (reuse["n_background"] < reuse["n_sources"]).all()  # the aligned central text always holds it
    identified = reuse[reuse["source_identified"]]
    assert len(identified) and not identified["source_doc_id"].str.contains(SOURCE_SEP).any()
    # c0001 of the first table: the ritual opening, in several central texts
    opening = reuse[reuse["local_text"].str.startswith("以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大和十九届")]
    assert len(opening) == 1
    assert opening["formulaic"].all() and not opening["source_identified"].any()
    # four central texts of the corpus (the 2021 and 2022 work reports, the Sixth Plenum communiqué, the 2021 CEWC
    # release) and seven of the background (the 2018 and 2019 reports, the NPC resolutions of 2018-2022)
    assert opening[["n_sources", "n_background"]].values.tolist() == [[11, 7]]
    assert opening["source_doc_id"].iloc[0].split(SOURCE_SEP) == ["central-2021-gwr", "central-2021-cc6-communique",
                                                                  "central-2021-cewc"]  # the candidates before the speech


def test_no_identified_passage_has_a_source_dated_after_the_document(built):
    reuse = built["central_reuse"]
    docs = built["documents"].set_index("doc_id")
    for r in reuse[reuse["source_identified"]].itertuples():
        assert docs.at[r.source_doc_id, "date_low"] <= docs.at[r.doc_id, "date_high"], r.passage_id
        assert r.time_order in ("before", "undetermined")
    for r in reuse.itertuples():
        aligned = (docs.at[r.aligned_doc_id, "date_low"], docs.at[r.aligned_doc_id, "date_high"])
        if not r.source_identified:
            assert r.time_order == time_order(aligned, (docs.at[r.doc_id, "date_low"], docs.at[r.doc_id, "date_high"]))
        if r.time_order != "before" or not r.source_identified:
            assert isinstance(r.time_flag, str) and r.time_flag, r.passage_id


def test_the_twentieth_congress_report_is_no_source_of_baoji_2022(built):
    """baoji-2022-speech looks forward to the 20th Congress (以优异成绩迎接党的二十大胜利召开): the
    congress report (2022-10-16) cannot be its source."""
    reuse = built["central_reuse"]
    docs = built["documents"].set_index("doc_id")
    assert docs.at["baoji-2022-speech", "date_high"] < docs.at["central-2022-cpc20-report", "date_low"]
    baoji = reuse[reuse["doc_id"] == "baoji-2022-speech"]
    from_congress = baoji[baoji["aligned_doc_id"] == "central-2022-cpc20-report"]
    assert not from_congress["source_identified"].any()
    assert (from_congress["time_order"] == "impossible").all()
    assert not baoji.loc[baoji["source_identified"], "source_doc_id"].eq("central-2022-cpc20-report").any()


def test_gansu_2022_draws_on_the_central_economic_work_conference_of_december_2021(built):
    # its proximate source, which the speech names (中央经济工作会议), is in the corpus: identified passages
    sources = built["central_sources"]
    gansu = sources[sources["doc_id"] == "gansu-2022-speech"].set_index("source_doc_id")
    assert gansu.loc["central-2021-cewc", "n_passages"] > 0
    assert gansu.loc["central-2021-cewc", "time_order"] == "before"
    assert gansu.loc["central-2022-cpc20-report", "time_order"] == "impossible"
    reuse = built["central_reuse"]
    identified = reuse[reuse["source_identified"]].groupby(["doc_id", "source_doc_id"]).size()
    assert (sources.set_index(["doc_id", "source_doc_id"])["n_passages"]
            == identified.reindex(pd.MultiIndex.from_frame(sources[["doc_id", "source_doc_id"]]), fill_value=0)).all()


def test_reproduction_share_is_a_share_with_an_interval(built):
    share = built["central_reuse_share"]
    docs = share[share["scope"] == "document"]
    assert set(docs["doc_id"]) == set(built["documents"].query("level != 'central'")["doc_id"])
    assert ((docs["share"] > 0) & (docs["share"] < 1)).all()
    assert ((docs["ci_low"] <= docs["share"]) & (docs["share"] <= docs["ci_high"])).all()
    reused = built["central_reuse"].groupby("doc_id")["n_chars"].sum()
    assert (docs.set_index("doc_id")["n_reused_chars"] == reused.reindex(docs["doc_id"]).fillna(0).to_numpy()).all()
    for table in (share, built["central_reuse_by_level"]):
        assert (table["n_distinctive_chars"] + table["n_formulaic_chars"] == table["n_reused_chars"]).all()
    formulaic = built["central_reuse"].query("formulaic").groupby("doc_id")["n_chars"].sum()
    assert (docs.set_index("doc_id")["n_formulaic_chars"] == formulaic.reindex(docs["doc_id"]).fillna(0).to_numpy()).all()


# ------------------------------------------------------------------ attribution
def credited(text: str, level: str = "municipal", issuer: str = "市市场监管局") -> list[str]:
    sentences = pd.DataFrame([{"sent_id": 1, "start": 0, "text": text}])
    return attributions("d", sentences, level, issuer)["authority"].tolist()


def test_decision_boilerplate_is_not_a_speech_act():
    assert credited("坚决贯彻落实党中央决策部署，推动各项工作落地见效。") == []


def test_every_authority_of_a_coordinated_list_is_kept():
    assert credited("按照市委、市政府和省局工作要求，全力做好疫情防控工作。") == ["市委", "市政府", "省市场监管局"]


def test_attribution_reads_both_directions():
    assert credited("推动高质量发展，是总书记对陕西一以贯之的要求。") == ["习近平总书记"]


def test_future_events_and_the_speakers_own_body_are_not_credited():
    assert credited("以优异成绩迎接党的二十大胜利召开。", "provincial", "甘肃省市场监督管理局") == []
    assert credited("省局党组提出了“四抓三干”的工作思路。", "provincial", "甘肃省市场监督管理局") == []


def test_a_subject_with_a_distant_speech_act_is_credited():
    assert credited("中央经济工作会议深刻分析了当前形势，提出了做好全年工作的总体要求。", "provincial") == ["中央经济工作会议"]


def test_a_speech_noun_belongs_to_its_own_author_not_to_the_clause_subject():
    # a scraped provincial work report: the 指示 is the General Secretary's; the committee only leads
    text = ("省委团结带领全省广大干部群众，坚持以习近平新时代中国特色社会主义思想为指导，"
            "深入贯彻落实习近平总书记视察甘肃重要讲话重要指示精神，推动新甘肃建设取得重大成就。")
    assert credited(text, "provincial", "甘肃省人民政府") == ["习近平总书记"]
    # …but a subject's own act after another authority's mention is still its own
    assert credited("中央经济工作会议深刻分析了省委的报告，提出了做好全年工作的总体要求。", "provincial") == \
        ["中央经济工作会议"]


@pytest.mark.parametrize("text, credited_", [
    ("要按照十八大、十九大提出的各项要求，扎实推进改革。", ["党代会/全会"]),  # congresses named without 党的
    ("十八大以来，形势变化给我们提出了新课题。", []),  # …以来 dates, it does not act
    ("根据省委《关于制定全省国民经济和社会发展第十五个五年规划的建议》，省政府编制了纲要草案。", ["省委"]),
    ("立足习近平总书记赋予本省的战略定位，明确今后五年目标。", ["习近平总书记"]),
    ("一张蓝图绘到底，把习近平总书记擘画的宏伟蓝图变为现实。", ["习近平总书记"]),
    ("认真落实省委工作要求，千方百计稳增长。", ["省委"]),  # a body named in full and its work requirement
    ("聚焦落实习近平总书记重要要求，扎实推进重大突破。", ["习近平总书记"]),
    ("全面贯彻党中央决策部署，认真落实省委战略部署，稳住经济大盘。", []),  # 决策部署/战略部署: boilerplate
])
def test_constructions_added_after_the_development_codings(text, credited_):
    assert credited(text, "provincial", "某省人民政府") == credited_


def test_abbreviated_tier_chains_credit_every_tier():
    # baoji-2022-speech: 按照中省市工作部署 credits the centre, the province and the city
    assert credited("全市市场监管工作按照中省市工作部署，聚力“六个重点”。") == ["中央", "省级", "市级"]
    # 全省 + 市场 is no chain
    assert credited("全省市场监管工作要求更高。") == []


def test_elliptical_conference_lists_keep_both_conferences():
    # baoji-2022-speech: 全国、全省市场监管工作会 names two conferences
    text = "按照全国、全省市场监管工作会和市委十二届十二次全会部署，弘扬伟大建党精神。"
    assert credited(text) == ["全国市场监管工作会议", "省级会议", "市委"]


def test_the_noun_work_deployment_is_no_speech_act():
    # baoji-2022-speech: 把握中省市工作部署 holds the noun 工作部署, not a speech act
    assert credited("全系统必须深刻把握中省市工作部署，持续发挥好服务大局的职能作用。") == []


def test_attribution_accuracy_is_reported_against_the_blind_coding(built):
    per_sentence, acc = built["attribution_validation"], built["attribution_accuracy"]
    from tifa.config import DATA_RAW
    from tifa.validation.framing import ATTRIBUTION_CODINGS

    present = {c for c, _, name, _ in ATTRIBUTION_CODINGS if (DATA_RAW / "annotations" / f"{name}.csv").is_file()}
    assert set(per_sentence["coding"]) == present and {"local", "provincial_b", "provincial_b2"} <= present
    for coding, sentences in [*per_sentence.groupby("coding"), *per_sentence.groupby("sample")]:
        scored = acc[(acc["coding"] == coding) | ((acc["coding"] == "all") & (acc["sample"] == coding))]
        scored = scored.set_index("measure")
        if coding in ("in-sample", "held-out") and sentences["coding"].nunique() == 1:
            continue  # a sample of one coding is not pooled again
        assert scored.loc["sentence accuracy: credits_someone", "n"] == sentences["hand_credits"].sum()
        assert scored.loc["sentence accuracy: all_sentences", "k"] == sentences["correct"].sum()
    for measure, row in acc.iterrows():
        if row["n"]:
            assert row["ci_low"] <= row["value"] <= row["ci_high"], measure


@pytest.mark.parametrize("name, authority", [
    ("十九大", "党代会/全会"), ("党的二十大", "党代会/全会"), ("十九届六中全会", "党代会/全会"),  # a congress, named either way
    ("中", "中央"), ("省", "省级"), ("张世珍副省长", "省领导"), ("十三届全国人大五次会议", "全国人大"),
])
def test_coders_names_are_scored_as_the_authority_they_stand_for(name, authority):
    from tifa.validation.framing import canonical_authority

    assert canonical_authority(name) == authority


def test_external_sentences_are_scored_by_running_the_rules_on_their_text():
    """Sentences of documents outside the corpus carry their own tier and issuer."""
    from tifa.validation.framing import attribution_by_sentence, attribution_summary, external_attributions

    base = {"doc_id": "x-2026-gwr", "doc_level": "provincial", "issuer": "某省人民政府", "source_url": "", "cue": "",
            "notes": "", "authority_level": ""}
    coded = pd.DataFrame([
        {**base, "sent_id": 4, "credits_someone": "true", "authority": "习近平总书记", "authority_level": "central",
         "text": "深入贯彻落实习近平总书记视察某省重要讲话重要指示精神。"},
        {**base, "sent_id": 9, "credits_someone": "false", "authority": "", "text": "在省委坚强领导下，全省经济稳中向好。"},
        {**base, "sent_id": 12, "credits_someone": "true", "authority": "省委", "authority_level": "provincial",
         "text": "省委强调，要把发展经济的着力点放在实体经济上。"},
        {**base, "sent_id": 15, "credits_someone": "false", "authority": "", "text": "省政府印发了实施方案。"},  # the speaker
    ])
    sentences, auto = external_attributions(coded)
    assert auto["authority"].tolist() == ["习近平总书记", "省委"]
    per_sentence = attribution_by_sentence(auto, coded, sentences, "provincial_f", "held-out")
    assert per_sentence["correct"].tolist() == [True, True, True, True]
    summary = attribution_summary(per_sentence).set_index("measure")
    assert (summary["sample"] == "held-out").all() and (summary["coding"] == "provincial_f").all()
    assert summary.loc["sentence accuracy: looks_like_but_credits_nobody", ["n", "k"]].tolist() == [2, 2]


@pytest.mark.parametrize("text, level, issuer, credited_", [
    ("省政府印发了实施方案。", "provincial", "某省人民政府", []),  # a government work report: the speaker
    ("省政府印发了实施方案。", "municipal", "某市人民政府", ["省政府"]),  # the tier above
    ("市政府同意了该方案。", "municipal", "副市长 (vice-mayor of the city; name masked)", []),
    ("国务院印发了《意见》。", "central", "国务院 (李克强 at the 1st session of the 14th NPC)", []),
    ("党中央部署了主题教育。", "central", "中国共产党中央委员会", []),
    ("党中央部署了主题教育。", "central", "国务院", ["党中央"]),
    ("省委强调，要稳中求进。", "provincial", "甘肃省发展和改革委员会", ["省委"]),
])
def test_the_speakers_own_government_or_committee_is_not_credited(text, level, issuer, credited_):
    assert credited(text, level, issuer) == credited_


def test_the_held_out_coding_is_of_documents_the_rules_never_saw(built):
    """Held out = coded after the last revision of the rules, on documents outside the corpus, so no
    sentence of it was read while the rules were written; the corpus codings are in-sample."""
    per_sentence = built["attribution_validation"]
    held = per_sentence[per_sentence["sample"] == "held-out"]
    from tifa.validation.framing import ATTRIBUTION_CODINGS

    assert set(held["coding"]) == {c for c, sample, _, _ in ATTRIBUTION_CODINGS if sample == "held-out"} and len(held)
    corpus = set(built["documents"]["doc_id"])
    assert not set(held["doc_id"]) & corpus
    # other documents than any in-sample coding (a formulaic sentence may recur word for word: 我代表省人民政府…)
    assert not set(held["doc_id"]) & set(per_sentence.loc[per_sentence["sample"] == "in-sample", "doc_id"])


# ------------------------------------------------------------------ typed adaptation and false friends
@pytest.fixture(scope="module")
def lexicon_patterns():
    from tifa.inputs.load import inputs

    lex = inputs().lexicon
    return compiled_patterns(lex), exclusions(lex)


def matches(text, lexicon_patterns):
    patterns, guards = lexicon_patterns
    return [(h["surface"], h["match"]) for h in detect(text, patterns, guards)]


def test_tier_substitution(lexicon_patterns):
    assert ("质量强市", "tier_substitution") in matches("深入实施质量强市战略。", lexicon_patterns)


def test_extension_of_a_slotted_formula(lexicon_patterns):
    found = matches("坚持“稳”字当头、“进”字加力。", lexicon_patterns)
    assert ("稳字当头", "extension") in found


def test_canonical_inside_a_longer_form_is_exact(lexicon_patterns):
    found = matches("深刻领悟“两个确立”的决定性意义。", lexicon_patterns)
    assert found and all(m == "exact" for _, m in found if "两个确立" in _)


def test_false_friends_are_not_hits(lexicon_patterns):
    assert not any("新发展格局" == s for s, _ in matches("加快构建创新发展格局。", lexicon_patterns))
    assert not any("药品安全" == s for s, _ in matches("守牢食品药品安全底线。", lexicon_patterns))
    assert not any("优化营商环境条例" in s for s, _ in matches("贯彻《陕西省优化营商环境条例》。", lexicon_patterns))


def test_strict_keynote_in_food_safety_is_a_false_friend(lexicon_patterns):
    # the Party-discipline formulation is found where the seeds use it (baoji-2022-speech, gansu-2022-speech) ...
    assert any("严的主基调" in s for s, _ in matches("坚持全面从严治党，坚持严的主基调不动摇。", lexicon_patterns))
    # ... but not when the strict tone is that of food-safety regulation
    assert not any("严的主基调" in s for s, _ in matches("坚持食品安全监管严的主基调，守牢底线。", lexicon_patterns))


def test_counted_chars_match_the_character_rule_on_a_seed():
    from tifa.config import DATA_RAW, MASK_CHARS
    from tifa.stages.central import counted_chars

    text = (DATA_RAW / "documents" / "gansu-2022-speech.txt").read_text(encoding="utf-8")
    expected = [ch.isalnum() and ch not in MASK_CHARS for ch in text]
    assert counted_chars(text).tolist() == expected
    assert any(ch == "×" for ch in text) and not counted_chars("××").any()
    # beyond the Basic Multilingual Plane: a rare Han character counts, an emoji does not
    assert counted_chars("a\U00020000\U0001F600，").tolist() == [True, True, False, False]
    assert counted_chars("").tolist() == []


def test_reduced_text_is_what_the_alphanumeric_pattern_keeps():
    # the code-point table must keep exactly the characters ALNUM ([^\W_]) matches, with their offsets
    from tifa.config import DATA_RAW
    from tifa.stages.central import ALNUM

    texts = [(DATA_RAW / "documents" / f"{d}.txt").read_text(encoding="utf-8") for d in ("gansu-2022-speech", "wuchang-2023-plan")]
    texts += ["a_b\U00020000\U0001F600×1２３，\n", "", "，。"]
    for text in texts:
        offsets = [m.start() for m in ALNUM.finditer(text)]
        assert reduce_text(text) == ("".join(text[i] for i in offsets), offsets)
    assert reduce_text("a_b\U00020000×1")[0] == "ab\U000200001"


def test_two_coders_of_the_same_sentences_are_compared(built):
    """attribution_intercoder: set b coded twice; each coder's crediting sentences are counted as in
    attribution_validation, and the shares are k / n."""
    agreement, per_sentence = built["attribution_intercoder"], built["attribution_validation"]
    pair = agreement[(agreement["coding_1"] == "provincial_b") & (agreement["coding_2"] == "provincial_b2")].set_index("measure")
    for coding in ("provincial_b", "provincial_b2"):
        credits = per_sentence.loc[per_sentence["coding"] == coding, "hand_credits"]
        assert pair.loc[f"crediting sentences of {coding} coded alike", "n"] == credits.sum()
    both = per_sentence[per_sentence["coding"] == "provincial_b"]
    assert pair.loc["sentences coded alike", "n"] == len(both)
    rates = pair.dropna(subset=["k"])
    assert ((rates["k"] / rates["n"]).round(4) == rates["value"]).all()
    assert -1 <= pair.loc["krippendorff_alpha_nominal: credits someone", "value"] <= 1
