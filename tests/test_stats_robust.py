"""Statistics never crash on a corpus: small generated tables for each case that used to raise (issue 13)."""

import numpy as np
import pandas as pd
import pytest

from tifa.schemas import validate as check
from tifa.stages.stats import (attention, attention_level_test, count_model, density_level_test, diversity, keyness,
                        pooled_chi2, reference_level)

DOMAINS = ["food", "price", "drug", "other"]


def documents(levels):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(levels))], "level": levels,
                         "year": [2022 + i % 2 for i in range(len(levels))], "genre": ["speech"] * len(levels)})


def priorities(spec):
    """spec: doc_id -> list of domains, one per item."""
    rows = [{"doc_id": d, "domain": dom, "n_chars": 30} for d, doms in spec.items() for dom in doms]
    return pd.DataFrame(rows, columns=["doc_id", "domain", "n_chars"])


def units(levels, n_sections=4, seed=1):
    gen = np.random.default_rng(seed)
    rows = []
    for i, level in enumerate(levels):
        for s in range(n_sections):
            rows.append({"doc_id": f"d{i}", "section_id": str(s), "role": "plan", "level": level,
                         "genre": "speech" if i % 2 else "work_plan", "year": 2022 + i % 2,
                         "n_chars": int(gen.integers(200, 2000)), "n_hits": int(gen.integers(0, 12))})
    return pd.DataFrame(rows)


def density(levels):
    n = len(levels)
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "level": levels, "year": 2022, "genre": "speech",
                         "n_sentences": 10, "n_chars": 1000, "n_hits": range(n), "n_formulations": 1,
                         "hits_per_10k": np.arange(n) * 10.0, "hits_ci_low": 0.0, "hits_ci_high": 1.0,
                         "ideological_share": np.linspace(0, 0.5, n), "ideological_ci_low": 0.0, "ideological_ci_high": 1.0})


def test_count_model_without_a_municipal_document():
    # patsy.PatsyError: specified level 'municipal' not found
    est = count_model(units(["provincial", "district", "district", "provincial", "district"]))
    assert (est["status"] == "ok").any() and set(est["reference"].dropna()) == {"district"}
    assert est.loc[est["status"] == "ok", "note"].str.contains("small sample").all()
    check("model_estimates", est)


def test_count_model_with_one_level_is_skipped():
    est = count_model(units(["municipal"] * 3))
    assert (est["status"] == "skipped").all() and est["reason"].str.contains("1 level").all()
    check("model_estimates", est)


def test_reference_is_the_most_common_level():
    assert reference_level(["provincial", "municipal", "municipal", "district"]) == "municipal"
    assert reference_level(["district", "provincial"]) == "provincial"


def test_attention_test_without_priorities():
    # ValueError: No data; observed has size 0
    attn = attention(priorities({}), documents(["provincial", "municipal", "district"]), DOMAINS)
    result = attention_level_test(attn)
    assert (result["status"] == "skipped").all() and "0 documents with priorities" in result.at[0, "reason"]
    check("attention_level_test", result)
    div = diversity(attn, len(DOMAINS))
    assert (div["status"] == "skipped").all()
    check("diversity", div)


def test_permutation_onto_documents_without_priorities():
    # chi2: 'expected frequencies has a zero element' when a level lands on empty documents
    docs = documents(["provincial", "municipal", "municipal", "district", "district"])
    spec = {"d0": ["food", "price"], "d1": ["food", "drug", "food"], "d2": ["price"], "d3": ["drug", "other"]}
    attn = attention(priorities(spec), docs, DOMAINS)
    result = attention_level_test(attn)
    assert result.at[0, "status"] == "ok" and result.at[0, "n_docs"] == 4  # d4 has no priorities
    assert result.at[0, "conclusion"].startswith("cannot tell levels apart with n = 4")
    check("attention_level_test", result)
    table = pd.DataFrame({"doc_id": ["a", "b"], "level": ["x", "y"], "food": [0, 3], "drug": [0, 1]})
    assert pooled_chi2(table, ["x", "y"]) == 0.0


def test_too_few_documents_per_level_states_no_power():
    attn = attention(priorities({"d0": ["food"], "d1": ["price", "drug"]}), documents(["provincial", "municipal"]), DOMAINS)
    row = attention_level_test(attn).iloc[0]
    assert row.status == "ok" and row.min_attainable_p == 0.5 and pd.isna(row.detectable_effect)


def test_keyness_with_one_level():
    # empty comparison group -> NaN g2_signed schema violation
    tokens = pd.DataFrame({"doc_id": "d0", "level": "municipal", "token": ["市场", "市场", "市场", "监管"]})
    key = keyness(tokens)
    assert key["status"].tolist() == ["skipped", "skipped"]
    assert key["reason"].tolist() == ["tokens from 1 local level(s): no comparison group", "no central text"]
    check("keyness", key)


def test_keyness_ignores_central_texts():
    tokens = pd.DataFrame({"doc_id": ["c"] * 4 + ["d0"] * 4 + ["d1"] * 4, "level": ["central"] * 4 + ["municipal"] * 4 + ["district"] * 4,
                           "token": ["党建"] * 4 + ["市场"] * 4 + ["食品"] * 4})
    key = keyness(tokens)
    assert set(key["level"]) == {"municipal", "district"} and (key["status"] == "ok").all()
    between = key[key["comparison"] == "other_levels"]
    assert "党建" not in set(between["token"])  # the central text's word is not in the comparison of levels
    against_centre = key[key["comparison"] == "central"].set_index("level")
    assert against_centre.loc["municipal", "token"] == "市场" and against_centre.loc["municipal", "log_odds_z"] > 0
    assert against_centre.loc["municipal", "count_other"] == 0
    check("keyness", key)


@pytest.mark.parametrize("levels", [["municipal"], ["municipal"] * 3, ["central", "municipal"]])
def test_density_test_with_one_level(levels):
    result = density_level_test(density(levels))
    assert (result["status"] == "skipped").all()
    check("density_level_test", result)


def test_density_test_reports_power():
    result = density_level_test(density(["provincial", "municipal", "municipal", "municipal", "district"]))
    assert (result["status"] == "ok").all() and (result["n_assignments"] == 20).all()
    assert result["conclusion"].str.startswith("cannot tell levels apart with n = 5").all()
    check("density_level_test", result)


def test_central_documents_are_not_in_attention():
    docs = documents(["central", "municipal", "district"])
    attn = attention(priorities({"d1": ["food"], "d2": ["price"]}), docs, DOMAINS)
    assert "d0" not in set(attn["doc_id"])


def test_diversity_is_normalised_by_what_n_items_can_reach():
    # four items in four domains is the most even spread four items allow: 1 (a 6-item document was capped at log 6 / log 24)
    docs = documents(["municipal", "district"])
    spec = {"d0": ["food", "price", "drug", "other"], "d1": ["food"] * 3 + ["price"]}
    div = diversity(attention(priorities(spec), docs, DOMAINS), len(DOMAINS)).set_index("doc_id")
    assert div.at["d0", "entropy_norm"] == 1.0 and div.at["d0", "k_norm"] == 4
    for row in div.itertuples():
        assert row.ci_low <= row.posterior_median <= row.ci_high <= 1.0
    check("diversity", div.reset_index())


def test_count_model_without_any_hit_is_skipped():
    # statsmodels: "The first guess on the deviance function returned a nan" (scraped notices, no formulation)
    est = count_model(units(["provincial", "municipal", "district", "municipal"]).assign(n_hits=0))
    assert (est["status"] == "skipped").all() and est["reason"].str.contains("no formulation hit").all()
    check("model_estimates", est)


# ------------------------------------------------------------------ whole builds (issue 13, "Why")
# Small corpora written here, one per input that used to end in a traceback or a schema error.
import hashlib
import random
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

from tifa.config import DATA_RAW
from tifa.errors import InputError
from tifa.inputs.load import METADATA_COLUMNS
from tifa.pipeline import build

PLANS = {
    "provincial": "2023年全省市场监管工作要点\n一、2022年工作回顾\n全年抽检食品4.5万批次，立案查处违法案件1200件。\n"
                  "二、2023年重点任务\n（一）加强食品安全监管。落实“四个最严”要求，全年抽检不少于5万批次。\n"
                  "（二）推进质量强省建设。完善质量基础设施。\n（三）持续优化营商环境。深化“放管服”改革。\n"
                  "三、工作要求\n（一）加强组织领导。\n",
    "municipal": "2023年全市市场监管工作要点\n一、重点任务\n（一）守牢食品安全底线。开展校园食品安全专项整治。\n"
                 "（二）强化特种设备安全监管。完成电梯隐患排查2000台。\n（三）提升知识产权保护水平。\n",
    "district": "2023年区市场监管工作计划\n一、主要任务\n1.深化商事制度改革，推行企业开办一网通办。\n"
                "2.加强价格监督检查，查处价格违法行为。\n3.开展药品安全专项整治。\n二、保障措施\n压实工作责任。\n",
}
PROSE = "今年以来，我们认真做好各项工作，取得了一定成效。下一步将继续努力，推动工作再上新台阶。"


def random_text(seed: int, n: int = 3000) -> str:
    gen = random.Random(seed)
    return "".join(chr(gen.randint(0x4E00, 0x9FA5)) for _ in range(n))


def write_corpus(folder: Path, docs: list[tuple[str, str]]) -> Path:
    """A raw folder with the project's lexicon, codebook and glossary and these (level, text) documents."""
    folder.mkdir(parents=True)
    for shared in ("lexicon", "codebook", "glossary"):
        shutil.copytree(DATA_RAW / shared, folder / shared)
    (folder / "documents").mkdir()
    rows = []
    for k, (level, text) in enumerate(docs):
        data = text.encode("utf-8")
        (folder / "documents" / f"d{k}.txt").write_bytes(data)
        rows.append({c: "written for the test" for c in METADATA_COLUMNS} | {
            "doc_id": f"d{k}", "source_file": f"d{k}.txt", "sha256": hashlib.sha256(data).hexdigest(), "level": level,
            "year": "2023", "date": "2023", "genre": "work_plan"})
    pd.DataFrame(rows, columns=list(METADATA_COLUMNS)).to_csv(folder / "metadata.csv", index=False)
    return folder


def plans(*levels: str) -> list[tuple[str, str]]:
    return [(lv, f"{PLANS[lv]}（第{k + 1}份）\n") for k, lv in enumerate(levels)]


CORPORA = {
    # patsy.PatsyError: specified level 'municipal' not found
    "one provincial document": plans("provincial"),
    "provincial and district": plans("provincial", "district", "district", "provincial"),
    # ValueError: No data; observed has size 0
    "no document has a priority": [(lv, f"{PROSE}第{k}份。") for k, lv in enumerate(["provincial", "municipal", "district"])],
    # ValueError: expected frequencies has a zero element
    "plans plus a prose and a random-text document": plans("provincial", "municipal", "municipal", "district") + [
        ("district", PROSE), ("municipal", random_text(1))],
    # MemoryError in reuse.exact_passages
    "two 20,000-character mask runs": plans("provincial", "municipal") + [
        ("district", "一、工作回顾\n" + "×" * 20_000 + "\n二、重点任务\n（一）加强食品安全监管。\n"),
        ("municipal", "一、总体要求\n" + "×" * 20_000 + "\n二、工作任务\n（一）强化特种设备安全监管。\n")],
    # schema violation: column 'g2_signed' ... nan (keyness against an empty comparison group)
    "one municipal document": plans("municipal"),
    "three municipal documents": plans("municipal", "municipal", "municipal"),
    "one district document": plans("district"),
    "two district documents": plans("district", "district"),
}


@pytest.mark.parametrize("name", CORPORA)
def test_corpora_that_used_to_crash_build_every_table(tmp_path, name):
    from tifa.schemas import TABLES

    raw = write_corpus(tmp_path / "raw", CORPORA[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = build(raw, tmp_path / "out", progress=False)
    assert {n for n, t in TABLES.items() if t.where == "processed"} <= {p.stem for p in (tmp_path / "out").glob("*.csv")}
    levels = {lv for lv, _ in CORPORA[name]}
    tests = {"model_estimates": tables["model_estimates"], "attention_level_test": tables["attention_level_test"],
             "density_level_test": tables["density_level_test"], "keyness": tables["keyness"]}
    for table, df in tests.items():
        assert len(df) and set(df["status"]) <= {"ok", "skipped"}, table
        skipped = df[df["status"] == "skipped"]
        assert (skipped["reason"].str.len() > 0).all(), table  # every skip says why
    if len(levels) == 1:
        assert all((df["status"] == "skipped").all() for df in tests.values())
    if name == "no document has a priority":
        assert tables["priorities"].empty and (tables["attention_level_test"]["status"] == "skipped").all()
    ok = tables["model_estimates"].query("status == 'ok'")
    assert ok.empty or "municipal" not in levels or set(ok["reference"]) == {"municipal"} or len(levels) > 1


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tifa", *args], capture_output=True, text=True)


def test_the_cli_builds_a_corpus_without_a_municipal_document(tmp_path):
    raw = write_corpus(tmp_path / "raw", plans("provincial", "district"))
    run = run_cli("build", "--raw", str(raw), "--out", str(tmp_path / "out"), "--quiet")
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert (tmp_path / "out" / "model_estimates.csv").exists()


def broken_lexicon(raw: Path) -> str:
    path = raw / "lexicon" / "formulations.csv"
    width = len(path.read_text(encoding="utf-8").splitlines()[0].split(","))
    path.write_text(path.read_text(encoding="utf-8") + ",".join(["extra", "两个确立"] + ["x"] * (width - 1)) + "\n",
                    encoding="utf-8")
    return "formulations.csv: formulation lexicon is not a well-formed CSV"


def gbk_metadata(raw: Path) -> str:
    path = raw / "metadata.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace("written for the test", "为测试而写").encode("gbk"))
    return "metadata.csv: metadata file is not valid UTF-8"


@pytest.mark.parametrize("damage", [broken_lexicon, gbk_metadata])
def test_bad_inputs_stop_with_an_error_line_and_exit_code_2(tmp_path, damage):
    # pandas.errors.ParserError / UnicodeDecodeError tracebacks
    raw = write_corpus(tmp_path / "raw", plans("municipal", "district"))
    message = damage(raw)
    run = run_cli("build", "--raw", str(raw), "--out", str(tmp_path / "out"), "--quiet")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith("error: ") and message in run.stderr.splitlines()[0]
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ --out: files, foreign folders, atomic swap
def test_out_pointing_at_a_file_is_refused(tmp_path):
    # FileExistsError traceback
    raw = write_corpus(tmp_path / "raw", plans("municipal"))
    (tmp_path / "afile").write_text("mine", encoding="utf-8")
    run = run_cli("build", "--raw", str(raw), "--out", str(tmp_path / "afile"), "--quiet")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"error: {tmp_path / 'afile'}: --out is a file")
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "mine"
    with pytest.raises(InputError, match="lies under .*afile, which is a file"):
        build(raw, tmp_path / "afile" / "out", progress=False)


def test_a_folder_of_other_files_needs_force_and_keeps_them(tmp_path):
    raw = write_corpus(tmp_path / "raw", plans("municipal"))
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.docx").write_text("notes", encoding="utf-8")
    (out / "metadata.csv").write_text("my,own\n1,2\n", encoding="utf-8")  # CSV files alone are not a build
    with pytest.raises(InputError, match="not a previous build.*--force"):
        build(raw, out, progress=False)
    assert sorted(p.name for p in out.iterdir()) == ["metadata.csv", "notes.docx"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build(raw, out, progress=False, force=True)
    assert (out / "notes.docx").read_text(encoding="utf-8") == "notes" and (out / "documents.csv").exists()


def test_a_failed_rebuild_leaves_the_previous_build_untouched_and_says_so(tmp_path, monkeypatch):
    """The failure comes last, at schema validation, after every table has been computed."""
    from tifa import pipeline

    raw = write_corpus(tmp_path / "raw", plans("municipal", "district"))
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build(raw, out, progress=False)
        (out / "stale_table.csv").write_text("x\n1\n", encoding="utf-8")  # a table an older version wrote
        with open(out / "build_manifest.txt", "a", encoding="utf-8") as manifest:  # ... and listed as its own
            manifest.write("stale_table.csv\n")
        (out / ".DS_Store").write_bytes(b"\0")  # a file browser's: no reason to refuse, and kept
        before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        raw2 = write_corpus(tmp_path / "raw2", plans("provincial", "municipal", "district"))

        def failing(name, df):
            if name == "keyness":
                raise InputError("table keyness", "schema violation (simulated)")
            return df

        monkeypatch.setattr("tifa.schemas.validate", failing)
        with pytest.raises(InputError, match=r"(?s)table keyness: schema violation.*still holds the previous build"):
            build(raw2, out, progress=False)
        assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw", "raw2"]  # no staging folder left
        monkeypatch.undo()
        build(raw2, out, progress=False)
    assert not (out / "stale_table.csv").exists()  # a successful build leaves no mixture either
    assert (out / ".DS_Store").read_bytes() == b"\0"
    assert len(pd.read_csv(out / "documents.csv")) == 3
    assert "documents.csv" in (out / "build_manifest.txt").read_text(encoding="utf-8").splitlines()


def test_figures_and_reports_of_another_corpus_go_beside_it(tmp_path):
    from tifa.config import DATA_PROCESSED, FIGURES, REPORTS, outputs_beside

    assert outputs_beside(None, "figures") == FIGURES and outputs_beside(DATA_PROCESSED, "reports") == REPORTS
    assert outputs_beside(tmp_path / "hebei" / "processed", "figures") == tmp_path / "hebei" / "figures"
    assert outputs_beside(tmp_path / "hebei-out", "reports") == tmp_path / "hebei-out-reports"


def test_the_cli_prints_each_kind_of_warning_once(capsys):
    import warnings as w

    from tifa.cli import summarise_warnings

    with w.catch_warnings(record=True) as caught:
        w.simplefilter("always")
        for k in range(300):
            w.warn(f"/c/documents/d{k}.txt: no enumerated outline found; sentences only, outline empty")
        w.warn("/c/metadata.csv: no sha256 for d1")
    summarise_warnings(caught)
    err = capsys.readouterr().err.splitlines()
    assert err == ["warning: 300 files: no enumerated outline found; sentences only, outline empty (e.g. /c/documents/d0.txt)",
                   "warning: /c/metadata.csv: no sha256 for d1"]


def test_figures_of_a_folder_that_is_not_a_build_stop_with_an_error(tmp_path):
    # KeyError: 'documents' traceback
    run = run_cli("figures", "--processed", str(tmp_path))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"error: {tmp_path}: not a build (no documents.csv)")


def test_wilson_each_equals_wilson_one_by_one():
    from tifa.stages.stats import wilson, wilson_each

    k, n = np.array([0, 1, 3, 7, 0, 12]), np.array([0, 4, 3, 19, 5, 40])
    low, high = wilson_each(k, n)
    for i in range(len(k)):
        expected = wilson(int(k[i]), int(n[i]))
        assert (np.isnan(expected[0]) and np.isnan(low[i])) or (low[i], high[i]) == expected
    assert np.isnan(low[0]) and np.isnan(high[0])  # no items: no interval


def test_a_documents_intervals_do_not_depend_on_the_other_documents(built):
    # each document is resampled with its own generator (config.document_rng): dropping the other
    # documents, or reordering them, leaves its interval as it was
    from concurrent.futures import ThreadPoolExecutor

    from tifa.stages.stats import framing_density

    attn = built["attention"]
    last = attn["doc_id"].iloc[-1]
    alone = diversity(attn[attn["doc_id"] == last], len(attn["domain"].unique()))
    together = diversity(attn, len(attn["domain"].unique()))
    assert alone.iloc[0].equals(together[together["doc_id"] == last].iloc[0])

    from tifa.config import DATA_RAW
    from tifa.inputs.load import read_lexicon

    lexicon = read_lexicon(DATA_RAW / "lexicon" / "formulations.csv")
    docs = built["documents"]
    full = framing_density(built["sentences"], built["frame_hits"], lexicon, docs)
    one = docs[docs["doc_id"] == last]
    single = framing_density(built["sentences"], built["frame_hits"], lexicon, one)
    assert single.iloc[0].equals(full[full["doc_id"] == last].iloc[0])
    with ThreadPoolExecutor(2) as pool:  # any mapper, any batch: the same rows
        assert framing_density(built["sentences"], built["frame_hits"], lexicon, docs, pool.map).equals(full)
