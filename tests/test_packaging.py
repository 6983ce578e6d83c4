"""The distribution: one wheel with the namespaced packages, the content and the CLI."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_every_content_file_under_the_namespace(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("cluster_excellence-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    content = ROOT / "courses" / "content"
    expected = {
        f"clusterexcellence/courses/content/{p.relative_to(content).as_posix()}"
        for p in content.rglob("*")
        if p.is_file()
    }
    assert expected and expected <= names
    assert "clusterexcellence/engine/scoring.py" in names
    modules = {
        f"clusterexcellence/{p.relative_to(ROOT).as_posix()}"
        for top in ("engine", "courses", "cli", "player", "scorm", "api")
        for p in (ROOT / top).rglob("*.py")
    }
    assert modules - names == set()  # subpackages too (each is listed in pyproject.toml)
    tops = ("engine/", "courses/", "cli/", "player/", "scorm/", "api/")
    assert not any(n.startswith(tops) for n in names)
    assert "clusterexcellence/player/static/js/evaluator.js" in names
    assert "clusterexcellence/api/migrations/script.py.mako" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "cluster-excellence = clusterexcellence.cli.main:app" in text
