"""SCORM and cmi5 package figures, printed as one JSON line.

Run: ``.venv/bin/python bench/scorm.py`` (``--quick``: one run instead of the best of
three). Each figure comes from a function of :data:`FIGURES` that returns a mapping of
names to values; a new figure is one more function in that list.

- ``build_all_s``: every package of every bundled course in the three formats (SCORM
  1.2, SCORM 2004, cmi5), from the content folder to the zips on disk: content
  validation (once), the player's files, manifests, their checks against the official
  schemas, zips (best of the runs: on a shared machine the minimum is the figure least
  disturbed by other work). ``validate_s`` is the validation's share, ``packages`` the
  number of zips.
- ``max_package_kb``: the largest package without its media files (``<module>/media/``),
  zipped as the build zips.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.scorm.archive import zip_bytes
from clusterexcellence.scorm.build import (
    PackageBuilder,
    load_valid_content,
    select_targets,
    write_packages,
)
from clusterexcellence.scorm.schemas import schema_set
from clusterexcellence.scorm.spec import FORMATS


def build_all(out: Path, root: Path = CONTENT_ROOT) -> tuple[float, float, list[Path]]:
    """Build every package of every course in every format: (total s, validation s, zips)."""
    schemas = schema_set()
    t0 = time.perf_counter()
    content = load_valid_content(root)
    validated = time.perf_counter()
    targets = select_targets(content)
    written = []
    for fmt in FORMATS:
        builder = PackageBuilder(content, fmt, schemas=schemas)
        written += write_packages(builder, targets, out)
    return time.perf_counter() - t0, validated - t0, written


def without_media(path: Path) -> int:
    """Size in bytes of the package at ``path`` zipped again without its media files."""
    with zipfile.ZipFile(path) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist() if "/media/" not in f"/{i.filename}"}
    return len(zip_bytes(files))


def build_figures(*, quick: bool = False) -> dict:
    runs = []
    for _ in range(1 if quick else 3):
        with tempfile.TemporaryDirectory() as tmp:
            total, validation, written = build_all(Path(tmp))
            largest = max(without_media(p) for p in written)
            runs.append((total, validation, len(written), largest))
    total, validation, packages, largest = min(runs)
    return {
        "build_all_s": round(total, 3),
        "validate_s": round(validation, 3),
        "packages": packages,
        "max_package_kb": round(largest / 1024, 1),
    }


#: The figure functions, in the order their keys appear in the output.
FIGURES: list[Callable[..., dict]] = [build_figures]


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
