"""The examples in the scorm package's docstrings run and give what they show."""

import doctest
import importlib
import pkgutil

import pytest

import clusterexcellence.scorm

MODULES = [
    info.name
    for info in pkgutil.walk_packages(
        clusterexcellence.scorm.__path__, clusterexcellence.scorm.__name__ + "."
    )
]


def test_the_package_has_examples():
    finder = doctest.DocTestFinder()
    examples = sum(
        len(t.examples) for name in MODULES for t in finder.find(importlib.import_module(name))
    )
    assert examples >= 9


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
