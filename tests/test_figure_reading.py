"""Figures read as a reader reads them (issue 24, item 5), redrawn in memory from data/processed:
- a heatmap's cell text states the quantity its colour shows (not a count beside a rate);
- row glosses are never cut ("campaign to sweep away black" lost "… and eliminate evil");
- cell numbers lie inside their axes; no legend covers a data point or a bar;
- document_similarity has no blank column between its panels.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from tifa.config import DATA_PROCESSED, DATA_RAW
from tifa.outputs.figures import CATALOGUE, formulation_matrix, rate_text, short_gloss

NAMES = [spec.name for spec, _ in CATALOGUE]


@pytest.fixture(scope="module")
def tables():
    from tifa.pipeline import load_tables

    return load_tables(DATA_PROCESSED)


def draw(name, tables):
    fig, data = next(d for s, d in CATALOGUE if s.name == name)(tables)
    fig.canvas.draw()
    return fig, data


def test_short_gloss_keeps_the_whole_first_rendering():
    assert short_gloss("campaign to sweep away black (organised crime) and eliminate evil") == \
        "campaign to sweep away black and eliminate evil"
    assert short_gloss("the great rejuvenation of the Chinese nation (the Chinese Dream); national rejuvenation") == \
        "the great rejuvenation of the Chinese nation"


def test_heatmap_rows_carry_the_full_gloss(tables):
    from tifa.inputs.load import lexicon

    english = lexicon(DATA_RAW).set_index("formulation_id")["english"]
    m = formulation_matrix(tables)
    assert m["fids"]
    for f in m["fids"]:
        label = m["ylabels"][f].replace("\n", " ")
        assert "…" not in label and short_gloss(english[f]) in label, label
    fig, _ = draw("formulation_heatmap", tables)
    try:
        drawn = {t.get_text().replace("\n", " ") for ax in fig.axes for t in ax.get_yticklabels()}
        assert any("eliminate evil" in t for t in drawn) or "sweep_black_eliminate_evil" not in m["fids"]
    finally:
        plt.close(fig)


def test_formulation_cells_show_the_rate_the_colour_shows(tables):
    m = formulation_matrix(tables)
    labels, value = m["labels"], m["value"]
    shown = 0
    for f in labels.index:
        for d in labels.columns:
            text = labels.at[f, d]
            if text:
                shown += 1
                assert text.rstrip("†").strip() == rate_text(value.at[f, d]), (f, d, text, value.at[f, d])
    assert shown > 0


def test_attention_cells_show_the_share_the_colour_shows(tables):
    fig, attn = draw("attention_by_domain", tables)
    try:
        ax = fig.axes[0]
        texts = sorted(int(t.get_text()) for t in ax.texts if t.get_text())
        local = attn[attn["n_items"] > 0]
        assert texts == sorted(int(f"{100 * s:.0f}") for s in local["share_items"])
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", NAMES)
def test_cell_text_inside_its_axes_and_legends_clear_of_data(name, tables):
    fig, _ = draw(name, tables)
    try:
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            box = ax.get_window_extent(renderer)
            for t in ax.texts:
                if t.get_text() and t.get_transform() == ax.transData:
                    e = t.get_window_extent(renderer)
                    assert box.x0 - 1 <= e.x0 and e.x1 <= box.x1 + 1 and box.y0 - 1 <= e.y0 and e.y1 <= box.y1 + 1, \
                        f"{name}: {t.get_text()!r} outside its axes"
        legends = [lg for lg in fig.legends] + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
        for legend in legends:
            lb = legend.get_window_extent(renderer)
            for ax in fig.axes:
                for coll in ax.collections:
                    offsets = coll.get_offsets()
                    if len(offsets) == 0 or not hasattr(coll, "get_sizes") or not len(coll.get_sizes()):
                        continue
                    points = coll.get_offset_transform().transform(np.asarray(offsets, dtype=float))
                    inside = [(x, y) for x, y in points if lb.x0 - 3 <= x <= lb.x1 + 3 and lb.y0 - 3 <= y <= lb.y1 + 3]
                    assert not inside, f"{name}: the legend covers a data point at {inside[0]}"
                for patch in ax.patches:
                    pb = patch.get_window_extent(renderer)
                    if pb.width > 0 and pb.height > 0:
                        overlap = min(pb.x1, lb.x1) - max(pb.x0, lb.x0), min(pb.y1, lb.y1) - max(pb.y0, lb.y0)
                        assert not (overlap[0] > 1 and overlap[1] > 1), f"{name}: the legend covers a bar"
    finally:
        plt.close(fig)


def test_similarity_panels_leave_no_blank_column(tables):
    fig, _ = draw("document_similarity", tables)
    try:
        width = fig.get_window_extent().width
        heat = [ax for ax in fig.axes if ax.get_title()]
        assert len(heat) == 2
        left, right = (ax.get_window_extent() for ax in heat)
        gap = right.x0 - left.x1
        # between the panels only the left colour bar and the right panel's short row numbers
        assert gap < 0.2 * width, f"{gap / width:.0%} of the width between the panels"
    finally:
        plt.close(fig)
