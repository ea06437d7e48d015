"""Large sites use both cores: half of the pages are written, and the search
index built, in forked processes. The result must be the very same site."""

from __future__ import annotations

import filecmp

from building import run_build


def differences(left, right) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    found = [f"{left}: only in one build: {name}" for name in comparison.left_only + comparison.right_only]
    found += [f"{left}/{name} differs" for name in comparison.diff_files + comparison.funny_files]
    for name, sub in comparison.subdirs.items():
        found += differences(sub.left, sub.right)
    return found


def test_a_build_on_two_cores_writes_the_same_site_as_on_one(site, tmp_path):
    settings = tmp_path / "two_cores.py"
    settings.write_text("from pelicanconf import *  # noqa\n"
                        "CONTENT_TYPES_PARALLEL_FROM = 0\n"
                        "SEARCH_BACKGROUND_FROM = 0\n", encoding="utf-8")
    output = tmp_path / "output"
    result = run_build(output, settings=str(settings))
    assert result.returncode == 0, result.stdout + result.stderr
    # filecmp's shallow check trusts equal sizes and times; compare contents.
    filecmp.clear_cache()
    assert differences(str(site), str(output)) == []
