"""The examples in the docstrings (of every module, subpackages too) run and give what they show."""

import doctest
import importlib
import pkgutil

import pytest

import clusterexcellence.courses
import clusterexcellence.engine

MODULES = [
    info.name
    for package in (clusterexcellence.engine, clusterexcellence.courses)
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    if not info.name.endswith("__main__")
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
