"""Fixtures of the package tests: the player's site builder, the schemas, built packages."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

try:
    importlib.import_module("clusterexcellence.player.site")
except ImportError:  # the player's site builder is not there yet: use the stand-in
    import clusterexcellence.player

    from . import player_standin

    sys.modules["clusterexcellence.player.site"] = player_standin
    clusterexcellence.player.site = player_standin

from clusterexcellence.courses.paths import CONTENT_ROOT  # noqa: E402
from clusterexcellence.scorm.build import PackageBuilder, load_valid_content  # noqa: E402
from clusterexcellence.scorm.schemas import schema_set  # noqa: E402


@pytest.fixture(scope="session")
def schemas():
    return schema_set()


@pytest.fixture(scope="session")
def content():
    return load_valid_content(CONTENT_ROOT)


@pytest.fixture(scope="session")
def builders(content, schemas):
    """One package builder per format, shared (their player files are cached)."""
    return {
        fmt: PackageBuilder(content, fmt, schemas=schemas)
        for fmt in ("scorm12", "scorm2004", "cmi5")
    }


@pytest.fixture(scope="session")
def built(builders, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """A few built packages on disk: (format, package name) → zip path."""
    from clusterexcellence.scorm.build import Target

    out = tmp_path_factory.mktemp("built")
    targets = [
        Target("case-studies", None, "en"),
        Target("case-studies", "governance-conflict", "fr"),
        Target("label-self-assessment", "label-self-assessment", "en"),
    ]
    paths = {}
    for fmt, builder in builders.items():
        (out / fmt).mkdir()
        for t in targets:
            path = out / fmt / t.file_name
            path.write_bytes(builder.package(t))
            paths[(fmt, t.name)] = path
    return paths
