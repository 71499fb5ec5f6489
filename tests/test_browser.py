"""The rendered reports in a real browser: images load, no error cell, Chinese drawn with a CJK font.

Needs Debian's chromium (`.ci/run` installs it); skipped with a message elsewhere.
Screenshots go to reports/screenshots/.
"""

import json
import re
import shutil
import subprocess

import pytest

from tifa.config import REPORTS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium); browser check skipped")]

CHECK = """
<script>
window.addEventListener('load', async () => {
  await document.fonts.ready;
  const imgs = [...document.images];
  const broken = imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt || i.src.slice(0, 40));
  const errors = document.querySelectorAll('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"], .output_error, .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]').length;
  const cjk = [...document.fonts].filter(f => f.family.replace(/['"]/g, '') === 'TifaCJK' && f.status === 'loaded').length;
  const probe = document.createElement('span'); probe.textContent = '食品安全'; document.body.appendChild(probe);
  const family = getComputedStyle(probe).fontFamily;
  const han = (document.body.innerText.match(/[\\u4e00-\\u9fff]/g) || []).length;
  document.body.setAttribute('data-check', JSON.stringify({images: imgs.length, broken, errors, cjk, family, han}));
});
</script>
"""


def chromium(*args, timeout=120):
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           "--disable-background-networking", "--hide-scrollbars", *args],
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def rendered(built, tmp_path_factory):
    """Reports rendered from a fresh build (so the test does not depend on `make report`)."""
    from tifa.figures import make_all
    from tifa.notebooks import execute_all
    from tifa.report import write_report

    out = tmp_path_factory.mktemp("reports")
    figures = tmp_path_factory.mktemp("figures")
    make_all(built["_out"], figures)
    params = {"processed_dir": str(built["_out"]), "figures_dir": str(figures)}
    execute_all(out_dir=out, parameters=params)
    write_report(built["_out"], figures, out)
    return out


def pages(folder):
    return sorted(folder.glob("*.html"))


def test_reports_render_in_chromium(rendered, tmp_path):
    shots = REPORTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    names = [p.name for p in pages(rendered)]
    assert names == ["01_corpus_and_cleaning.html", "02_priorities_and_achievements.html",
                     "03_framing_diffusion.html", "index.html"]
    for page in pages(rendered):
        probe = tmp_path / page.name
        probe.write_text(page.read_text(encoding="utf-8").replace("</body>", CHECK + "</body>"), encoding="utf-8")
        run = chromium("--virtual-time-budget=20000", "--dump-dom", probe.as_uri())
        match = re.search(r'data-check="([^"]*)"', run.stdout)
        assert match, f"{page.name}: the check script did not run ({run.stderr[-300:]})"
        check = json.loads(match.group(1).replace("&quot;", '"'))
        assert check["images"] > 0 and check["broken"] == [], f"{page.name}: {check}"
        assert check["errors"] == 0, f"{page.name}: error cells"
        assert check["cjk"] >= 1 and "TifaCJK" in check["family"] and check["han"] > 0, f"{page.name}: {check}"
        chromium(f"--screenshot={shots / (page.stem + '.png')}", "--window-size=1280,1600", page.as_uri())
        assert (shots / f"{page.stem}.png").stat().st_size > 10_000
