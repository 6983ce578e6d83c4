"""Path-dependent texts: the variant a path shows, and the checks that walk every path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clusterexcellence.cli.main import app
from clusterexcellence.courses.loader import load_content
from clusterexcellence.courses.models import PathCondition, TextVariant
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.courses.pathtext import (
    case_paths,
    condition_holds,
    default_text,
    path_text_problems,
    text_for,
    unmet_requirements,
)

from .test_decisions import all_paths

DATA = Path(__file__).parent.parent / "data" / "content"
CONTENT = load_content(CONTENT_ROOT)
CASES = [m for m in CONTENT.modules() if m.kind == "case"]


def variants(*pairs) -> list[TextVariant]:
    return [
        TextVariant(when=None if when is None else PathCondition(**when), text={"en": en})
        for when, en in pairs
    ]


TEXT = variants(
    ({"chose": {"p1": ["b", "c"]}, "visited": ["p2"]}, "b or c, then p2"),
    ({"not_visited": ["p2"]}, "skipped p2"),
    (None, "default"),
)


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ([("p1", "b"), ("p2", "a")], "b or c, then p2"),
        ([("p1", "c"), ("p2", "d")], "b or c, then p2"),
        ([("p1", "a"), ("p2", "a")], "default"),  # chose fails, p2 visited
        ([("p1", "b")], "skipped p2"),  # chose holds but visited fails: next variant
        ([], "skipped p2"),
    ],
)
def test_text_for_shows_the_first_variant_whose_conditions_all_hold(path, shown):
    assert text_for(TEXT, path) == {"en": shown}


def test_a_plain_text_is_shown_on_every_path_and_is_its_own_default():
    assert text_for({"en": "x"}, [("p1", "a")]) == {"en": "x"} == default_text({"en": "x"})
    assert text_for(None, []) is None
    assert default_text(TEXT) == {"en": "default"}


def test_conditions_combine_with_and():
    when = PathCondition(chose={"p1": ["a"]}, not_visited=["p3"])
    assert condition_holds(when, [("p1", "a"), ("p2", "b")])
    assert not condition_holds(when, [("p1", "a"), ("p3", "b")])
    assert not condition_holds(when, [("p1", "b")])


def test_every_requirement_must_hold_and_a_bar_separates_alternatives():
    path = [("p1", "c"), ("p2", "a")]
    assert unmet_requirements(["p1.b | p1.c", "p2", "p0 | p2.a"], path) == []
    assert unmet_requirements(["p1.b | p1.c", "p2"], [("p1", "a")]) == ["p1.b | p1.c", "p2"]
    # two options of one point, not as alternatives: no path chooses both
    assert unmet_requirements(["p1.b", "p1.c"], path) == ["p1.b"]


def test_a_list_of_conditions_holds_when_any_of_them_does():
    variant = TextVariant(
        when=[PathCondition(chose={"p1": ["a"]}), PathCondition(visited=["p3"])],
        text={"en": "x"},
    )
    text = [variant, TextVariant(text={"en": "default"})]
    assert text_for(text, [("p1", "a")]) == {"en": "x"}
    assert text_for(text, [("p1", "b"), ("p3", "a")]) == {"en": "x"}
    assert text_for(text, [("p1", "b")]) == {"en": "default"}


# ------------------------------------------------------------------ validation

#: The demo case's `second` point: reached by first:a, or by first:b → recovery:a.
SECOND = """    - id: second
      title: {en: Second, fr: Deuxième}
      prompt: {en: And then?, fr: Et ensuite ?}
"""


def demo_with(tmp_path: Path, prompt: str) -> Path:
    """The valid demo content with the prompt of `second` replaced by ``prompt`` (YAML)."""
    root = tmp_path / "content"
    shutil.copytree(DATA / "valid", root)
    module = root / "demo-case" / "module.yaml"
    text = module.read_text(encoding="utf-8")
    assert SECOND in text
    block = "\n".join("      " + line for line in prompt.strip("\n").splitlines())
    module.write_text(
        text.replace(
            SECOND,
            SECOND.replace("      prompt: {en: And then?, fr: Et ensuite ?}\n", "").rstrip("\n")
            + "\n      prompt:\n"
            + block
            + "\n",
        ),
        encoding="utf-8",
    )
    return root


def validate_lines(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["validate", str(root)])
    return result.exit_code, result.stdout.splitlines()


def line_of(root: Path, marker: str) -> int:
    lines = (root / "demo-case" / "module.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, ln in enumerate(lines, 1) if ln.strip() == marker or ln.endswith(marker))


VALID_VARIANTS = """
- when: {chose: {recovery: [a]}}
  requires: [recovery.a]
  text: {en: After the recovery?, fr: Après le rattrapage ?}
- when: {not_visited: [recovery]}
  text: {en: Straight on?, fr: Tout droit ?}
- requires: [first]
  text: {en: And then?, fr: Et ensuite ?}
"""


def test_path_dependent_prompt_validates_and_its_variants_follow_the_path(tmp_path):
    root = demo_with(tmp_path, VALID_VARIANTS)
    code, lines = validate_lines(root)
    assert code == 0, lines
    module = load_content(root).modules()[0]
    second = next(p for p in module.model.decisions.points if p.id == "second")
    assert (
        text_for(second.prompt, [("first", "b"), ("recovery", "a")])["en"] == "After the recovery?"
    )
    assert text_for(second.prompt, [("first", "a")])["fr"] == "Tout droit ?"


@pytest.mark.parametrize(
    ("prompt", "marker", "message"),
    [
        (  # the default assumes `recovery`; first:a → second skips it
            """
- when: {chose: {recovery: [a]}}
  text: {en: After the recovery?, fr: Après le rattrapage ?}
- requires: [recovery]  # MARK
  text: {en: And then?, fr: Et ensuite ?}
""",
            "# MARK",
            "text requires recovery, which the path first:a → second did not take",
        ),
        (  # a requirement on an option: only first:b → recovery:a satisfies it
            """
- when: {visited: [recovery]}
  requires: [recovery.b]  # MARK
  text: {en: After the recovery?, fr: Après le rattrapage ?}
- text: {en: And then?, fr: Et ensuite ?}
""",
            "# MARK",
            "text requires recovery.b, which the path first:b,recovery:a → second did not take",
        ),
        (  # recovery:a implies visiting recovery: the second variant is never shown
            """
- when: {visited: [recovery]}
  text: {en: After the recovery?, fr: Après le rattrapage ?}
- when: {chose: {recovery: [a]}}  # MARK
  text: {en: Never shown, fr: Jamais montré}
- text: {en: And then?, fr: Et ensuite ?}
""",
            "# MARK",
            "variant 2 is shown on no path through 'second'",
        ),
        (
            """
- when: {chose: {recuperation: [a]}}  # MARK
  text: {en: After the recovery?, fr: Après le rattrapage ?}
- text: {en: And then?, fr: Et ensuite ?}
""",
            "# MARK",
            "'when' names 'recuperation', which is no decision point of this case",
        ),
        (
            """
- when: {chose: {recovery: [c]}}  # MARK
  text: {en: After the recovery?, fr: Après le rattrapage ?}
- text: {en: And then?, fr: Et ensuite ?}
""",
            "# MARK",
            "'when' names option 'c', which 'recovery' does not have",
        ),
        (
            """
- when: {visited: [second]}  # MARK
  text: {en: Again?, fr: Encore ?}
- text: {en: And then?, fr: Et ensuite ?}
""",
            "# MARK",
            "'when' names 'second', which comes before 'second' on no path",
        ),
        (  # alternatives across points: first:b → recovery:a → second meets neither
            """
- when: [{chose: {recovery: [a]}}, {not_visited: [recovery]}]
  requires: ["recovery.b | first.a"]  # MARK
  text: {en: Again?, fr: Encore ?}
- text: {en: And then?, fr: Et ensuite ?}
""",
            "# MARK",
            "text requires recovery.b | first.a, which the path first:b,recovery:a → second",
        ),
        (
            """
- when: [{visited: [recovery]}, {chose: {first: [c]}}]  # MARK
  text: {en: Again?, fr: Encore ?}
- text: {en: And then?, fr: Et ensuite ?}
""",
            "# MARK",
            "'when' names option 'c', which 'first' does not have",
        ),
        (
            """
- requires: [first.z]  # MARK
  text: {en: And then?, fr: Et ensuite ?}
""",
            "# MARK",
            "'requires' names option 'z', which 'first' does not have",
        ),
        (
            """
- when: {visited: [recovery]}
  text: {en: After the recovery?, fr: Après le rattrapage ?}
""",
            "prompt:",
            "prompt: Value error, the last variant (number 1) is the default and has no 'when'",
        ),
        (
            """
- text: {en: Early default, fr: Défaut trop tôt}
- text: {en: And then?, fr: Et ensuite ?}
""",
            "prompt:",
            "variant 1 has no 'when' but is not the last",
        ),
        (
            """
- when: {}  # MARK
  text: {en: Empty?, fr: Vide ?}
- text: {en: And then?, fr: Et ensuite ?}
""",
            "# MARK",
            "a condition needs 'chose', 'visited' or 'not_visited'",
        ),
        (
            """
- when: {visited: [recovery]}
  text: {en: After the recovery?}  # MARK
- text: {en: And then?, fr: Et ensuite ?}
""",
            "# MARK",
            "missing 'fr' translation of decisions.points[2].prompt[0].text",
        ),
    ],
)
def test_path_text_problems_are_located_at_the_text(tmp_path, prompt, marker, message):
    root = demo_with(tmp_path, prompt)
    code, lines = validate_lines(root)
    assert code == 1
    line = line_of(root, marker)
    wanted = [ln for ln in lines if f"module.yaml:{line}:" in ln and message in ln]
    assert wanted, f"no line {line} '{message}' in:\n" + "\n".join(lines)
    assert all(ln.rstrip().endswith(")") for ln in lines)  # every problem has its hint


# -------------------------------------------------------------- bundled cases


@pytest.mark.parametrize("module", CASES, ids=lambda m: m.id)
def test_every_path_of_every_bundled_case_satisfies_what_its_texts_require(module):
    assert [tuple(p) for p in case_paths(module.model)] == [
        tuple(p) for p in all_paths(module.model)
    ]
    assert path_text_problems(module) == []


def _without_variants(module, point_id: str, keep: int = -1):
    """``module`` with the prompt and option texts of ``point_id`` reduced to one variant,
    the default (``keep=-1``) or the first (``keep=0``), without its `when`."""
    case = module.model
    points = []
    for p in case.decisions.points:
        if p.id == point_id:
            opts = [
                o.model_copy(
                    update={
                        k: [getattr(o, k)[keep].model_copy(update={"when": None})]
                        for k in ("feedback", "consequence")
                        if isinstance(getattr(o, k), list)
                    }
                )
                for o in p.options
            ]
            prompt = (
                [p.prompt[keep].model_copy(update={"when": None})]
                if isinstance(p.prompt, list)
                else p.prompt
            )
            p = p.model_copy(update={"prompt": prompt, "options": opts})
        points.append(p)
    decisions = case.decisions.model_copy(update={"points": points})
    return type(module)(
        **{**vars(module), "model": case.model_copy(update={"decisions": decisions})}
    )


@pytest.mark.parametrize(
    ("case_id", "point_id", "keep", "skipped"),
    [
        ("governance-conflict", "general-assembly", -1, "repair:b"),
        ("governance-conflict", "reform-design", -1, "first-weeks:d"),
        ("governance-conflict", "flagship-programmes", -1, "repair:b"),
        (
            "financing-after-public-funding",
            "eu-projects",
            0,
            "requires service-portfolio.c",
        ),
        ("financing-after-public-funding", "fee-model", -1, "framing:c"),
        ("gold-audit-evidence", "survey-results", -1, "gap-choice:a"),
        ("gold-audit-evidence", "team-capacity", -1, "gap-choice:a"),
        ("gold-audit-evidence", "final-call", -1, "requires survey-results.c | survey-results.e"),
        ("gold-audit-evidence", "final-call", -1, "requires survey-results.c"),
    ],
)
def test_dropping_the_path_variants_of_a_named_point_is_caught(case_id, point_id, keep, skipped):
    module = next(m for m in CASES if m.id == case_id)
    problems = path_text_problems(_without_variants(module, point_id, keep))
    assert problems, f"{point_id} of {case_id} has no variant the walk depends on"
    assert any(skipped in p.message for p in problems), [p.message for p in problems]
