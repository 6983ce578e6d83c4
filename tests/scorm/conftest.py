"""Fixtures of the package tests: the schemas, the bundled content, built packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.scorm.build import PackageBuilder, Target, load_valid_content
from clusterexcellence.scorm.schemas import schema_set


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
