"""The label levels have one French name each, in every French text of the bundled content."""

from __future__ import annotations

import re

import pytest

from clusterexcellence.courses import loader, paths
from clusterexcellence.courses.exhibits import (
    markdown_path,
    narrative_files,
    read_table,
    table_path,
)
from clusterexcellence.courses.models import CaseModule, TableExhibit
from clusterexcellence.courses.texts import iter_texts

#: French texts say label Bronze, label Argent, label Or (l'Argent, l'Or): never the English
#: names, nor a lower-case or "d'or" variant of the French ones.
OTHER_NAMES = re.compile(r"\b(Gold|Silver)\b|\blabels? (d'|en )?(or|argent)\b")


def french_texts(content) -> list[tuple[str, str]]:
    """``(where, text)`` of every French text: YAML texts, Markdown narratives, CSV tables."""
    found = []
    models = [(source.path, fw) for source, fw in content.frameworks]
    for course in content.courses:
        models.append((course.folder / "course.yaml", course.model))
        models += [(m.folder / "module.yaml", m.model) for m in course.modules]
    for path, model in models:
        found += [(f"{path}:{loc}", text["fr"]) for loc, text in iter_texts(model) if "fr" in text]
    for module in content.modules():
        if not isinstance(module.model, CaseModule):
            continue
        for _, stem in narrative_files(module.model):
            path = markdown_path(module.folder, stem, "fr")
            found.append((str(path), path.read_text(encoding="utf-8")))
        for ex in module.model.exhibits:
            if isinstance(ex, TableExhibit):
                path = table_path(module.folder, ex, "fr")
                found.append((str(path), "\n".join(",".join(r) for r in read_table(path))))
    return found


@pytest.fixture(scope="module")
def content():
    return loader.load_content(paths.CONTENT_ROOT)


def test_the_walk_reaches_yaml_markdown_and_csv_texts(content):
    where = [w for w, _ in french_texts(content)]
    assert any(".fr.md" in w for w in where) and any(".fr.csv" in w for w in where)
    assert any("label-self-assessment/module.yaml" in w for w in where)
    assert any("frameworks/" in w for w in where)


def test_french_texts_call_the_levels_bronze_argent_and_or(content):
    wrong = [
        f"{where}: {m.group(0)!r}"
        for where, text in french_texts(content)
        for m in OTHER_NAMES.finditer(text)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "text", ["le label Gold", "un cluster Silver", "le label argent", "un label d'or"]
)
def test_other_names_are_found(text):
    assert OTHER_NAMES.search(text)


@pytest.mark.parametrize("text", ["le label Or", "l'Argent", "Or, la façon", "de l'argent public"])
def test_the_french_names_and_ordinary_words_pass(text):
    assert not OTHER_NAMES.search(text)
