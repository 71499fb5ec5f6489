"""jieba with the project dictionary keeps formulations whole."""

from tifa.tokens import tokenize


def test_formulations_stay_whole():
    tokens = tokenize("深刻领悟两个确立的决定性意义，推进双随机、一公开监管，落实四个最严要求")
    for term in ("两个确立", "双随机、一公开", "四个最严"):
        assert term in tokens


def test_domain_terms_stay_whole():
    assert "两清单一报告" in tokenize("创新实施两清单一报告制度")


def test_punctuation_is_dropped():
    assert "，" not in tokenize("加强监管，确保安全。")


def test_remembered_runs_give_exactly_jiebas_words(monkeypatch):
    # the tokenizer cuts each run of Han characters once and reuses its words; the result must be
    # jieba's own segmentation of the whole text, also after the memory of runs is cleared
    import random

    import tifa.tokens as tokens_module
    from tifa.config import DATA_RAW
    from tifa.tokens import tokenizer

    tok = tokenizer(DATA_RAW)
    text = (DATA_RAW / "documents" / "gansu-2022-speech.txt").read_text(encoding="utf-8")
    pieces = [text[k:k + 300] for k in range(0, 30_000, 300)] + ["ABC 12.5% 市场 监管\n× ×\t质量强国2023年", ""]
    random.Random(7).shuffle(pieces)
    monkeypatch.setattr(tokens_module, "CACHED_BLOCKS", 50)
    for piece in pieces + pieces:  # the second pass reads remembered runs
        assert tok._cut(piece) == tok._jieba.lcut(piece, HMM=False)
    assert 0 < len(tok._blocks) <= 50


def test_trie_pattern_finds_what_the_longest_first_alternation_finds():
    import random
    import re

    from tifa.tokens import trie_pattern

    terms = ["质量强国", "质量强", "质量", "双随机、一公开", "双随机", "放管服", "a.b", "(x)", "十四五", "十四"]
    alternation = re.compile("|".join(map(re.escape, sorted(terms, key=lambda t: (-len(t), t)))))
    trie = re.compile(trie_pattern(terms))
    alphabet = "质量强国省双随机、一公开放管服a.b(x)十四五"
    generator = random.Random(3)
    for _ in range(500):
        text = "".join(generator.choice(alphabet) for _ in range(40))
        assert [(m.start(), m.group()) for m in trie.finditer(text)] == \
               [(m.start(), m.group()) for m in alternation.finditer(text)], text
