"""jieba with the project dictionary keeps formulations whole."""

from tifa.inputs.load import tokenize


def test_formulations_stay_whole():
    tokens = tokenize("深刻领悟两个确立的决定性意义，推进双随机、一公开监管，落实四个最严要求")
    for term in ("两个确立", "双随机、一公开", "四个最严"):
        assert term in tokens


def test_domain_terms_stay_whole():
    assert "两清单一报告" in tokenize("创新实施两清单一报告制度")


def test_punctuation_is_dropped():
    assert "，" not in tokenize("加强监管，确保安全。")


def test_segmentation_is_python_jiebas_on_every_seed_and_central_text():
    # jieba-rs (rjieba) segments; on every line of every document it must give exactly the words of
    # Python jieba with the same dictionary, the same project words and no HMM
    import logging

    import jieba

    from tifa.config import DATA_RAW
    from tifa.inputs.load import tokenizer
    from tifa.text.tokens import USER_WORD, user_word_frequency

    jieba.setLogLevel(logging.WARNING)
    tok = tokenizer(DATA_RAW)
    reference = jieba.Tokenizer()
    for term in tok.terms:
        if USER_WORD.fullmatch(term):
            reference.add_word(term, freq=user_word_frequency(term))
    paths = sorted((DATA_RAW / "documents").glob("*.txt"))
    assert len(paths) == len((DATA_RAW / "metadata.csv").read_text(encoding="utf-8").splitlines()) - 1  # every document
    n_lines = 0
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            assert tok._cut(line) == reference.lcut(line, HMM=False), (path.name, line)
            n_lines += 1
    assert n_lines > 1000
    for text in ("ABC 12.5% 市场 监管\r\n× ×\t质量强国2023年", "（一）", "\u3000\u3000", ""):
        assert tok._cut(text) == reference.lcut(text, HMM=False)


def test_trie_pattern_finds_what_the_longest_first_alternation_finds():
    import random
    import re

    from tifa.text.tokens import trie_pattern

    terms = ["质量强国", "质量强", "质量", "双随机、一公开", "双随机", "放管服", "a.b", "(x)", "十四五", "十四"]
    alternation = re.compile("|".join(map(re.escape, sorted(terms, key=lambda t: (-len(t), t)))))
    trie = re.compile(trie_pattern(terms))
    alphabet = "质量强国省双随机、一公开放管服a.b(x)十四五"
    generator = random.Random(3)
    for _ in range(500):
        text = "".join(generator.choice(alphabet) for _ in range(40))
        assert [(m.start(), m.group()) for m in trie.finditer(text)] == \
               [(m.start(), m.group()) for m in alternation.finditer(text)], text


def test_forgetting_remembered_tokens_changes_no_result(monkeypatch):
    # the tokenizer remembers how each distinct token is stripped and classified, up to KEPT_TOKENS;
    # beyond that it forgets them all and starts again, with the same words
    from tifa.text import tokens as tokens_module

    text = "加强“双随机、一公开”监管，推进质量强市建设。 2023年目标：95%以上！"
    expected = tokens_module.Tokenizer(["双随机、一公开", "质量强市"]).tokens(text, keep_punct=True)
    monkeypatch.setattr(tokens_module, "KEPT_TOKENS", 2)
    small = tokens_module.Tokenizer(["双随机、一公开", "质量强市"])
    assert [small.tokens(text, keep_punct=True) for _ in range(3)] == [expected] * 3
    assert len(small._kept) <= 2 and "双随机、一公开" in expected and "，" in expected
