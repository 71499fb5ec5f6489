"""Validation against hand coding: strict, one-to-one, same sentence; recall and precision per claim type."""

import pandas as pd

from tifa.schemas import validate as check
from tifa.validation.extraction import achievement_recall, agreement, confusion, unit_key

SENTENCES = pd.DataFrame({"doc_id": ["d"] * 3, "sent_id": [1, 2, 3],
                          "text": ["总量突破×××万户，新设×××户。", "罚没款×××万元。", "年内先后获评甲先进集体、乙先进集体和丙先进单位。"]})


def hand_row(seq, snippet, value="", unit="", kind="count", masked="true", indicator="x", scale=""):
    return {"doc_id": "d", "claim_seq": seq, "indicator": indicator, "value": value, "value_num": "", "unit": unit,
            "scale": scale, "masked": masked, "kind": kind, "year": "2021", "text_snippet": snippet, "coder": "c", "notes": ""}


def auto_row(aid, sent_id, value="", unit="", kind="count", masked=True, indicator="", claim="", value_base=None):
    return {"doc_id": "d", "achievement_id": aid, "sent_id": sent_id, "kind": kind, "indicator": indicator,
            "value": value, "unit": unit, "value_base": value_base, "masked": masked, "claim": claim}


def test_masks_are_never_matched_across_sentences():
    # the old rule credited one automatic ××× to every hand ××× of the document
    hand = pd.DataFrame([hand_row(1, "总量突破×××万户", "×××", "户"), hand_row(2, "罚没款×××万元", "×××", "元", kind="money")])
    auto = pd.DataFrame([auto_row("a1", 1, "×××", "户")])
    per, summary = achievement_recall(auto, hand, SENTENCES)
    assert per["found"].tolist() == [True, False] and per["sent_id"].tolist() == [1, 2]
    masked = summary.set_index("claim_type").loc["masked"]
    assert (masked.n_hand, masked.n_auto, masked.n_matched, masked.recall, masked.precision) == (2, 1, 1, 0.5, 1.0)


def test_one_automatic_row_serves_one_hand_claim():
    # two identical masked values in one sentence need two automatic rows
    hand = pd.DataFrame([hand_row(1, "总量突破×××万户", "×××", "户"), hand_row(2, "新设×××户", "×××", "户")])
    per, _ = achievement_recall(pd.DataFrame([auto_row("a1", 1, "×××", "户")]), hand, SENTENCES)
    assert per["found"].sum() == 1


def test_one_row_per_honour_in_a_list():
    hand = pd.DataFrame([hand_row(i, s, kind="honour", masked="false", indicator=s) for i, s in
                         enumerate(["甲先进集体", "乙先进集体", "丙先进单位"], start=1)])
    merged = pd.DataFrame([auto_row("a1", 3, kind="honour", masked=False, indicator="获评", claim=SENTENCES.text[2])])
    per, summary = achievement_recall(merged, hand, SENTENCES)
    assert per["found"].sum() == 1
    split = pd.DataFrame([auto_row(f"a{i}", 3, kind="honour", masked=False, indicator=s, claim=SENTENCES.text[2])
                          for i, s in enumerate(["丙先进单位", "甲先进集体", "乙先进集体"])])
    per, summary = achievement_recall(split, hand, SENTENCES)
    assert per.set_index("claim_seq")["achievement_id"].to_dict() == {1: "a1", 2: "a2", 3: "a0"}
    honour = summary.set_index("claim_type").loc["honour"]
    assert (honour.recall, honour.precision) == (1.0, 1.0) and honour.recall_ci_low < 1 == honour.recall_ci_high


def test_chinese_numeral_value_matches_by_number():
    sentences = pd.DataFrame({"doc_id": ["d"], "sent_id": [1], "text": ["全省系统两万多名市场监管干部全员上班。"]})
    hand = pd.DataFrame([hand_row(1, "全省系统两万多名市场监管干部", "两万多", "名", masked="false", scale="万")])
    hand["value_num"] = "2"
    auto = pd.DataFrame([auto_row("a1", 1, "两", "名", masked=False, value_base=20000.0)])
    per, summary = achievement_recall(auto, hand, sentences)
    assert per["found"].all() and summary.set_index("claim_type").at["numeric", "recall"] == 1.0


def test_units_compared_without_ge_or_parenthesis():
    assert unit_key("个百分点") == "百分点" and unit_key("件（起）") == "件"


def test_confusion_matrix_and_kappa():
    auto = pd.DataFrame({"doc_id": ["d"] * 4, "item_seq": [1, 2, 3, 4], "item_id": list("abcd"), "title": list("wxyz"),
                         "domain": ["food", "food", "price", "price"], "domain_keywords": [""] * 4,
                         "lead_units": [""] * 4, "responsible_units": [""] * 4})
    hand = auto[["doc_id", "item_seq", "title", "lead_units", "responsible_units"]].assign(
        domain=["food", "price", "price", "price"], notes="")
    table = confusion(auto, hand, ["food", "price", "drug"])
    assert table.set_index(["domain_auto", "domain_hand"])["n_items"].to_dict() == {
        ("food", "food"): 1, ("food", "price"): 1, ("price", "food"): 0, ("price", "price"): 2}
    check("agreement_confusion", table.assign(coder="person"))
    summary, disagreements = agreement(auto, hand, ["food", "price", "drug"])
    assert summary.at[0, "n_agree"] == 3 and disagreements["item_seq"].tolist() == [2]


def test_validation_tables_on_the_seeds(built):
    validation = built["achievement_validation"]
    summary = validation[validation["sample"] == "in-sample"].set_index("claim_type")
    assert set(summary.index) == {"numeric", "masked", "honour", "rank", "all"}
    assert (summary.loc[["numeric", "masked", "honour", "rank"], "n_hand"] > 0).all()
    recall = built["achievement_recall"]
    assert summary.at["all", "n_hand"] == (recall["round"] == 1).sum()
    assert validation.groupby("sample")["n_hand"].max().sum() == len(recall)
    assert (summary["recall"] >= 0.9).all() and (summary["precision"] >= 0.9).all()
    # one-to-one: no automatic row is credited twice
    ids = built["achievement_recall"]["achievement_id"].replace("", pd.NA).dropna()
    assert ids.is_unique
