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
