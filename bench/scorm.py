"""SCORM and cmi5 package figures, printed as one JSON line.

Run: ``.venv/bin/python bench/scorm.py`` (``--quick``: one run instead of the best of
three). Each figure comes from a function of :data:`FIGURES` that returns a mapping of
names to values; a new figure is one more function in that list.

- ``build_all_s``: every package of every bundled course in the three formats (SCORM
  1.2, SCORM 2004, cmi5), from the content folder to the zips on disk: content
  validation (once), the player's files, manifests, their checks against the official
  schemas, zips (best of the runs: on a shared machine the minimum is the figure least
  disturbed by other work). ``validate_s`` is the content validation's share,
  ``player_s`` the player's (bundles, launch pages: ``clusterexcellence.player.site``),
  ``packages`` the number of zips.
- ``max_package_kb``: the largest package without its media files (``<module>/media/``),
  zipped as the build zips.
- ``first_render_ms`` (and ``first_render_ms_by_module``): the player's first screen in
  headless Chromium, from ``bench/player.py``;
- ``js_score_ms`` (and ``js_evaluate_ms``): one learner of the label self-assessment
  scored by the player's JavaScript in node, from ``bench/js_score.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.scorm import build
from clusterexcellence.scorm.archive import zip_bytes
from clusterexcellence.scorm.build import (
    PackageBuilder,
    load_valid_content,
    select_targets,
    write_packages,
)
from clusterexcellence.scorm.schemas import schema_set
from clusterexcellence.scorm.spec import FORMATS


class _TimedPlayer:
    """The player's site functions, with the time spent in them added up."""

    def __init__(self, site) -> None:
        self.site, self.seconds = site, 0.0

    def __getattr__(self, name: str):
        function = getattr(self.site, name)

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0

        return timed


def build_all(out: Path, root: Path = CONTENT_ROOT) -> dict[str, float | list[Path]]:
    """Build every package of every course in every format, timed by stage."""
    schemas = schema_set()
    player = _TimedPlayer(build.player_site)
    build.player_site = player
    try:
        t0 = time.perf_counter()
        content = load_valid_content(root)
        validated = time.perf_counter()
        targets = select_targets(content)
        written = []
        for fmt in FORMATS:
            builder = PackageBuilder(content, fmt, schemas=schemas)
            written += write_packages(builder, targets, out)
        total = time.perf_counter() - t0
    finally:
        build.player_site = player.site
    return {
        "total": total,
        "validation": validated - t0,
        "player": player.seconds,
        "written": written,
    }


def without_media(path: Path) -> int:
    """Size in bytes of the package at ``path`` zipped again without its media files."""
    with zipfile.ZipFile(path) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist() if "/media/" not in f"/{i.filename}"}
    return len(zip_bytes(files))


def build_figures(*, quick: bool = False) -> dict:
    runs = []
    for _ in range(1 if quick else 3):
        with tempfile.TemporaryDirectory() as tmp:
            run = build_all(Path(tmp))
            run["largest"] = max(without_media(p) for p in run["written"])
            runs.append(run)
    best = min(runs, key=lambda r: r["total"])
    return {
        "build_all_s": round(best["total"], 3),
        "validate_s": round(best["validation"], 3),
        "player_s": round(best["player"], 3),
        "packages": len(best["written"]),
        "max_package_kb": round(best["largest"] / 1024, 1),
    }


def _bench_module(name: str):
    """A script of this folder as a module (they are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", Path(__file__).with_name(f"{name}.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render_figures(*, quick: bool = False) -> dict:
    return _bench_module("player").figures(quick=quick)


def js_figures(*, quick: bool = False) -> dict:
    out = _bench_module("js_score").figures(quick=quick)
    return {k: out[k] for k in ("js_score_ms", "js_evaluate_ms")}


#: The figure functions, in the order their keys appear in the output.
FIGURES: list[Callable[..., dict]] = [build_figures, render_figures, js_figures]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run per figure")
    args = parser.parse_args(argv)
    figures: dict = {"quick": args.quick}
    for figure in FIGURES:
        figures.update(figure(quick=args.quick))
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
