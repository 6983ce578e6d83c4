"""Item-writing checks: warnings about graded items a learner can answer without the competency.

A graded item is a graded decision point of a case, or a ``situational`` or
``single_choice`` item of an instrument (likert items are self-ratings, not keyed). A
``single_choice`` item whose option scores rise or fall strictly from the first option to
the last is an anchored scale (the label self-assessment's "how is your offer
documented?"), read like a likert item's labels: its order is the point, so it is not
checked. Each check below is one classic flaw of multiple-choice writing; every threshold
is a named constant, every length is counted in characters of one language's text (with
runs of white space as one), and every warning is located at the option or text at fault:

- :func:`key_length_warnings`: the keyed (best-scored) option is longer than every other
  option by more than :data:`KEY_LENGTH_TOLERANCE`, so "pick the longest" scores well;
- :func:`length_spread_warnings`: an option is more than :data:`LENGTH_SPREAD` away from
  the mean option length of its item;
- :func:`key_position_warnings`: more than ``max(KEY_POSITION_MIN, KEY_POSITION_SHARE ×
  items)`` keys of one instrument or case sit in the same position;
- :func:`announcing_warnings`: a rationale or feedback names the answer (a phrase of
  :data:`ANNOUNCING_PHRASES` in its language: "The expert answer:", "Strongest.");
- :func:`implausible_zero_warnings`: an option scored 0 whose text is shorter than
  :data:`IMPLAUSIBLE_ZERO_RATIO` of the other options' mean, a distractor nobody picks;
- :func:`single_item_competency_warnings`: a leaf dimension of an instrument measured by
  fewer than :data:`MIN_ITEMS_PER_COMPETENCY` items;
- :func:`untrained_competency_warnings`: a framework competency that no graded decision
  point of any case trains, reported at the framework's competency entry.

:func:`itemwriting_warnings` runs them all; ``cluster-excellence validate`` prints them as
warnings (exit status 0) and ``--strict`` counts them as problems.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from clusterexcellence.engine import Instrument
from clusterexcellence.engine.items import SingleChoiceItem, SituationalItem

from .exceptions import ContentProblem
from .loader import Content, LoadedModule
from .models import CaseModule
from .source import Loc, YamlSource
from .texts import iter_texts

#: The keyed option may be at most this much longer than the longest other option (0.10:
#: 10 %): a key of 111 characters beside options of at most 100 is flagged, 110 is not.
KEY_LENGTH_TOLERANCE = 0.10
#: Every option's length within this share of its item's mean option length (±20 %).
LENGTH_SPREAD = 0.20
#: At most ``max(KEY_POSITION_MIN, KEY_POSITION_SHARE × n)`` of the n keys of an
#: instrument or case in one position: 2 of 5 case points, 6 of 17 situational items.
KEY_POSITION_SHARE = 0.40
KEY_POSITION_MIN = 2
#: An option scored 0 shorter than this share of the other options' mean length.
IMPLAUSIBLE_ZERO_RATIO = 0.5
#: Items a competency (leaf dimension) of an instrument needs to be measured, not guessed.
MIN_ITEMS_PER_COMPETENCY = 2

_START = r"(?:^|(?<=[.!?:;]\s))"  # the start of the text or of a sentence
_EN_HEDGE = r"(?<!sometimes )(?<!often )(?<!not always )"  # "is sometimes the right choice"
_FR_HEDGE = "".join(  # "est parfois le bon choix", "parfois la bonne décision"
    f"(?<!{w} {a})" for w in ("parfois", "souvent", "pas toujours") for a in ("", "la ", "le ")
)
_VERDICT_END = r"\s*(?:[.!:;,–—-]|$)"  # a verdict word standing alone: "Strongest."
_EN_NOUNS = "answer|option|choice|course|move|response|recovery|decision|call|approach"
_FR_NOUNS = "réponse|option|solution|décision|démarche|approche|voie|manière|façon|issue"
#: Phrases that name the answer in a rationale or feedback, per language (regular
#: expressions, matched case-insensitively). Languages without a list are not checked.
ANNOUNCING_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        r"\b(?:expert|model|expected|correct|ideal) (?:answer|key|option|choice|response)\b",
        rf"{_EN_HEDGE}\bthe (?:right|correct) (?:{_EN_NOUNS}|correction)\b",
        rf"\bbest (?:{_EN_NOUNS})\b",
        r"\bthe best (?:[\w-]+ ){1,2}(?:available|possible|here)\b",
        rf"\bthe only (?:[\w-]+ )?(?:{_EN_NOUNS})\b",
        rf"\bthe (?:strongest|wisest|soundest|most defensible) (?:{_EN_NOUNS})\b",
        rf"{_START}(?:the )?(?:strongest|best|wisest|soundest){_VERDICT_END}",
        r"\bstrongest of (?:the|these|all)\b",
        r"\bkeyed (?:option|answer|choice)\b",
    ),
    "fr": (
        r"\bréponse (?:experte|attendue|correcte|juste|modèle)\b",
        rf"{_FR_HEDGE}\b(?:la )?bonne (?:{_FR_NOUNS}|correction)\b",
        rf"{_FR_HEDGE}\ble bon choix\b",
        rf"\bmeilleure (?:{_FR_NOUNS})\b",
        r"\bmeilleur (?:choix|parti|coup)\b",
        rf"\bseule (?:bonne |vraie )?(?:{_FR_NOUNS})\b",
        rf"\b(?:l'|la |le )?(?:{_FR_NOUNS}|choix) (?:la|le) plus (?:solide|sage|défendable)\b",
        rf"{_START}(?:la |le )?plus (?:solide|sage|défendable){_VERDICT_END}",
        r"\b(?:la|le) plus solide (?:des|de toutes|de tous)\b",
    ),
}
_ANNOUNCING = {
    lang: re.compile("|".join(f"(?:{p})" for p in phrases), re.IGNORECASE)
    for lang, phrases in ANNOUNCING_PHRASES.items()
}
#: The option texts read for :func:`announcing_warnings`.
EXPLANATION_FIELDS = ("rationale", "feedback")


@dataclass(frozen=True)
class GradedOption:
    """One option of a graded item, with the texts explaining it."""

    id: str
    text: dict[str, str]
    score: float
    explanations: dict[str, dict[str, str]]  # field name → language → text


@dataclass(frozen=True)
class GradedItem:
    """A graded decision point or choice item: ``loc`` of it in its file, its options."""

    id: str
    what: str  # "decision point" or "item"
    loc: tuple
    options: tuple[GradedOption, ...]

    def option_loc(self, index: int, *rest: str) -> Loc:
        return (*self.loc, "options", index, *rest)

    @property
    def key_index(self) -> int:
        """Position (0-based) of the first best-scored option."""
        scores = [o.score for o in self.options]
        return scores.index(max(scores))

    @property
    def keyed(self) -> list[int]:
        """Positions of every best-scored option."""
        best = max(o.score for o in self.options)
        return [i for i, o in enumerate(self.options) if o.score == best]

    def name(self) -> str:
        return f"{self.what} {self.id!r}"


def warning(source: YamlSource, loc: Loc, message: str, hint: str) -> ContentProblem:
    """A located warning (a :class:`ContentProblem` of severity ``warning``)."""
    line, col = source.position(loc)
    return ContentProblem(source.path, line, col, message, hint, severity="warning")


def text_length(text: str) -> int:
    """Characters of ``text``, with each run of white space counted as one space."""
    return len(" ".join(text.split()))


def _percent(x: float) -> str:
    return f"{round(100 * x)} %"


# ------------------------------------------------------------------ graded items


def graded_items(model: CaseModule | Instrument) -> list[GradedItem]:
    """The graded items of a case or instrument, in file order (see the module docstring)."""
    if isinstance(model, CaseModule):
        return [
            GradedItem(
                p.id,
                "decision point",
                ("decisions", "points", i),
                tuple(
                    GradedOption(o.id, o.text, o.score, {"feedback": o.feedback}) for o in p.options
                ),
            )
            for i, p in enumerate(model.decisions.points)
            if p.graded
        ]
    items = []
    for i, it in enumerate(model.items):
        if not isinstance(it, SituationalItem | SingleChoiceItem):
            continue
        if isinstance(it, SingleChoiceItem) and is_anchored_scale([o.score for o in it.options]):
            continue
        options = tuple(
            GradedOption(
                o.id,
                o.text,
                o.score,
                {f: getattr(o, f) for f in EXPLANATION_FIELDS if getattr(o, f) is not None},
            )
            for o in it.options
        )
        items.append(GradedItem(it.id, "item", ("items", i), options))
    return items


def is_anchored_scale(scores: list[float]) -> bool:
    """Whether option scores rise, or fall, strictly from the first option to the last.

    >>> is_anchored_scale([0, 0.3, 0.7, 1]), is_anchored_scale([0.4, 1, 0.75, 0])
    (True, False)
    """
    steps = [b - a for a, b in zip(scores, scores[1:], strict=False)]
    return all(s > 0 for s in steps) or all(s < 0 for s in steps)


def _lengths(item: GradedItem, lang: str) -> list[int] | None:
    """Option lengths in ``lang``, or None when an option lacks the language."""
    texts = [o.text.get(lang) for o in item.options]
    if any(not t or not t.strip() for t in texts):
        return None  # the translation check reports it
    return [text_length(t) for t in texts]


def _each_language(item: GradedItem, languages: list[str]) -> Iterator[tuple[str, list[int]]]:
    """``(lang, option lengths)`` for each language the item's options all have."""
    for lang in languages:
        lengths = _lengths(item, lang)
        if lengths is not None:
            yield lang, lengths


def key_length_warnings(
    source: YamlSource, item: GradedItem, languages: list[str]
) -> Iterator[ContentProblem]:
    """The keyed option longer than every other option by more than the tolerance."""
    keyed = item.keyed
    if len(keyed) == len(item.options):
        return
    for lang, lengths in _each_language(item, languages):
        longest_other = max(n for i, n in enumerate(lengths) if i not in keyed)
        for k in keyed:
            if lengths[k] - longest_other > KEY_LENGTH_TOLERANCE * longest_other:
                excess = lengths[k] / longest_other - 1 if longest_other else math.inf
                yield warning(
                    source,
                    item.option_loc(k, "text", lang),
                    f"the keyed option {item.options[k].id!r} of {item.name()} is the longest"
                    f" in {lang}: {lengths[k]} characters, {_percent(excess)} more than the"
                    f" longest other option ({longest_other})",
                    "learners pick the longest option: bring the key within"
                    f" {_percent(KEY_LENGTH_TOLERANCE)} of the others' length",
                )


def length_spread_warnings(
    source: YamlSource, item: GradedItem, languages: list[str]
) -> Iterator[ContentProblem]:
    """Options outside ±:data:`LENGTH_SPREAD` of their item's mean option length."""
    for lang, lengths in _each_language(item, languages):
        mean = sum(lengths) / len(lengths)
        for j, n in enumerate(lengths):
            if abs(n - mean) > LENGTH_SPREAD * mean:
                side = "longer" if n > mean else "shorter"
                yield warning(
                    source,
                    item.option_loc(j, "text", lang),
                    f"option {item.options[j].id!r} of {item.name()} is {n} characters in"
                    f" {lang}, {_percent(abs(n / mean - 1))} {side} than the mean option"
                    f" length ({mean:.0f})",
                    f"keep every option of an item within ±{_percent(LENGTH_SPREAD)} of the"
                    " mean length, so length gives nothing away",
                )


def implausible_zero_warnings(
    source: YamlSource, item: GradedItem, languages: list[str]
) -> Iterator[ContentProblem]:
    """Options scored 0 far shorter than the other options: distractors nobody picks."""
    for lang, lengths in _each_language(item, languages):
        for j, opt in enumerate(item.options):
            others = [n for i, n in enumerate(lengths) if i != j]
            mean = sum(others) / len(others)
            if opt.score == 0 and lengths[j] < IMPLAUSIBLE_ZERO_RATIO * mean:
                yield warning(
                    source,
                    item.option_loc(j, "text", lang),
                    f"option {opt.id!r} of {item.name()} is scored 0 and is {lengths[j]}"
                    f" characters in {lang}, under {_percent(IMPLAUSIBLE_ZERO_RATIO)} of the"
                    f" other options' mean ({mean:.0f}): no practitioner would choose it",
                    "write a mistake a practitioner makes, as developed as the other options",
                )


def announcing_phrase(text: str, lang: str) -> str | None:
    """The first phrase of :data:`ANNOUNCING_PHRASES` in ``text``, or None.

    >>> announcing_phrase("Strongest. It treats projects as one stream.", "en")
    'Strongest.'
    >>> announcing_phrase("Cela donne la trésorerie la plus solide du réseau.", "fr") is None
    True
    """
    pattern = _ANNOUNCING.get(lang)
    found = pattern.search(" ".join(text.split())) if pattern else None
    return found.group(0).strip() if found else None


def announcing_warnings(
    source: YamlSource, item: GradedItem, languages: list[str]
) -> Iterator[ContentProblem]:
    """Rationales and feedback that name the answer (:data:`ANNOUNCING_PHRASES`)."""
    for j, opt in enumerate(item.options):
        for field, value in opt.explanations.items():
            for where, text in iter_texts(value, (field,)):
                for lang in languages:
                    found = announcing_phrase(text.get(lang, ""), lang)
                    if not found:
                        continue
                    yield warning(
                        source,
                        item.option_loc(j, *where, lang),
                        f"the {field} of option {opt.id!r} of {item.name()} names the answer"
                        f" in {lang}: {found!r}",
                        "explain the trade-off of this option without announcing the key",
                    )


def _crowded(groups: dict[int, list[GradedItem]], n: int):
    """``(key, items, first item over the limit, limit)`` of each group of keys holding more
    than its share of ``n``: max(:data:`KEY_POSITION_MIN`, :data:`KEY_POSITION_SHARE` of n).
    """
    limit = max(KEY_POSITION_MIN, KEY_POSITION_SHARE * n)
    for key, members in sorted(groups.items()):
        if len(members) > limit:
            yield key, members, members[math.floor(limit)], math.floor(limit)


def key_position_warnings(
    source: YamlSource, items: list[GradedItem], owner: str
) -> Iterator[ContentProblem]:
    """One warning per position holding more than its share of the keys of ``items``.

    It is located at the key of the first item over the limit and names every item keyed
    in that position.
    """
    by_position: dict[int, list[GradedItem]] = defaultdict(list)
    for item in items:
        by_position[item.key_index].append(item)
    for position, keyed, first_over, limit in _crowded(by_position, len(items)):
        yield warning(
            source,
            first_over.option_loc(position, "id"),
            f"{len(keyed)} of the {len(items)} graded {items[0].what}s of {owner} are keyed at"
            f" option {position + 1}: {', '.join(i.id for i in keyed)}",
            f"spread the keys over the positions: at most max({KEY_POSITION_MIN},"
            f" {_percent(KEY_POSITION_SHARE)}) of them, here {limit}, in one"
            " position",
        )


def key_length_rank(item: GradedItem, lang: str) -> int | None:
    """Rank of the key's length among the item's options in ``lang`` (1: the longest), or
    None when a translation is missing or another option has the key's very length (a tie
    points at no option)."""
    lengths = _lengths(item, lang)
    if lengths is None:
        return None
    key = lengths[item.key_index]
    if lengths.count(key) > 1:
        return None
    return 1 + sum(n > key for n in lengths)


def key_length_rank_warnings(
    source: YamlSource, items: list[GradedItem], owner: str, languages: list[str]
) -> Iterator[ContentProblem]:
    """One warning per language and length rank holding more than its share of the keys.

    Balanced lengths are not enough: when the key is, say, the second-longest option of
    nearly every item, "pick the second-longest" finds it. The share is the one of key
    positions (:data:`KEY_POSITION_SHARE`, at least :data:`KEY_POSITION_MIN`).
    """
    for lang in languages:
        by_rank: dict[int, list[GradedItem]] = defaultdict(list)
        for item in items:
            rank = key_length_rank(item, lang)
            if rank is not None and len(item.keyed) < len(item.options):
                by_rank[rank].append(item)
        for rank, keyed, first_over, limit in _crowded(by_rank, len(items)):
            yield warning(
                source,
                first_over.option_loc(first_over.key_index, "text", lang),
                f"in {lang}, the key is the option of length rank {rank} (1: the longest) in"
                f" {len(keyed)} of the {len(items)} graded {items[0].what}s of {owner}:"
                f" {', '.join(i.id for i in keyed)}",
                "vary which option is longest: lengthen or shorten some keys (within the"
                f" ±{_percent(LENGTH_SPREAD)} spread) so that no length rank holds more than"
                f" {limit} keys",
            )


# -------------------------------------------------------------------- coverage


def single_item_competency_warnings(module: LoadedModule) -> Iterator[ContentProblem]:
    """Leaf dimensions of an instrument measured by fewer than the items they need."""
    ins: Instrument = module.model
    counts: dict[str, list[str]] = defaultdict(list)
    for it in ins.items:
        for dim in it.dimensions:
            counts[dim].append(it.id)
    for dim, _, loc in ins.iter_dimensions():
        measured = counts.get(dim.id, [])
        if 0 < len(measured) < MIN_ITEMS_PER_COMPETENCY:  # items link to leaves only
            yield warning(
                module.source,
                (*loc, "id"),
                f"{dim.id!r} of {ins.id!r} is measured by {len(measured)} item"
                f" ({', '.join(measured)}): one answer is no measurement",
                f"give it at least {MIN_ITEMS_PER_COMPETENCY} items, or report its parent only",
            )


def untrained_competency_warnings(content: Content) -> Iterator[ContentProblem]:
    """Framework competencies that no graded decision point of any case trains.

    Checked only for the frameworks of the content root itself (not the bundled ones a
    root without ``frameworks/`` borrows), when the root holds cases and every case is
    valid: otherwise the cases that train a competency may simply be elsewhere.
    """
    if content.framework_fallback:
        return
    cases = [m for m in content.modules() if m.kind == "case"]
    if not cases or any(m.model is None for m in cases):
        return
    trained = {
        c for m in cases for p in m.model.decisions.points if p.graded for c in p.competencies
    }
    for source, fw in content.frameworks:
        for i, area in enumerate(fw.areas):
            for j, comp in enumerate(area.competencies):
                if comp.id not in trained:
                    yield warning(
                        source,
                        ("areas", i, "competencies", j, "id"),
                        f"competency {comp.id!r} is trained by no graded decision point of"
                        " any case",
                        "add a graded decision point with this competency to a case",
                    )


# ------------------------------------------------------------------------- all


def module_warnings(module: LoadedModule) -> list[ContentProblem]:
    """Every item-writing warning of one valid module."""
    src, model, langs = module.source, module.model, module.languages
    items = graded_items(model)
    found: list[ContentProblem] = []
    for item in items:
        found += key_length_warnings(src, item, langs)
        found += length_spread_warnings(src, item, langs)
        found += implausible_zero_warnings(src, item, langs)
        found += announcing_warnings(src, item, langs)
    if items:
        owner = f"case {model.id!r}" if isinstance(model, CaseModule) else f"{model.id!r}"
        found += key_position_warnings(src, items, owner)
        found += key_length_rank_warnings(src, items, owner, langs)
    if isinstance(model, Instrument):
        found += single_item_competency_warnings(module)
    return found


def itemwriting_warnings(content: Content) -> list[ContentProblem]:
    """Every item-writing warning of the loaded content (valid modules only)."""
    found = list(untrained_competency_warnings(content))
    for module in content.modules():
        if module.model is not None and module.source is not None:
            found += module_warnings(module)
    return found
