"""The plan of a package: what the manifests describe, independent of the format.

A :class:`PackagePlan` is one organisation of one or more :class:`Sco` (a SCORM
sharable content object, a cmi5 assignable unit) plus the files they share. The
manifest builders (:mod:`.manifest`, :mod:`.cmi5`) turn it into XML; :mod:`.build`
makes plans from course content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .exceptions import PlanError
from .spec import ABSOLUTE_IRI, NCNAME

#: Identifier of the resource holding the shared files; ``xml_id("RES", ...)`` never
#: makes it (those have a hyphen after ``RES``).
SHARED_RESOURCE = "RES_shared"
_PATH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.~-]*(/[A-Za-z0-9_][A-Za-z0-9_.~-]*)*$")


@dataclass(frozen=True)
class Sco:
    """One launchable unit: a module's launch page and its files.

    Parameters
    ----------
    identifier : str
        The module id; manifest identifiers are made from it (``ITEM-<id>``).
    title, description : str
        Plain text.
    href : str
        The launch page, relative to the package root (``<module-id>/index.html``).
    files : tuple of str
        Every file of the unit, relative to the package root, the launch page included.
    mastery_score : float or None
        Scaled score in [0, 1] at which the unit is passed; None: not graded (completion
        only).
    duration_minutes : int
        Typical learning time.
    """

    identifier: str
    title: str
    description: str
    href: str
    files: tuple[str, ...]
    mastery_score: float | None
    duration_minutes: int

    @property
    def graded(self) -> bool:
        """Whether a score decides success (a mastery score is set)."""
        return self.mastery_score is not None


@dataclass(frozen=True)
class PackagePlan:
    """A package: identity, descriptive metadata, the units in order and shared files.

    ``identifier`` names the package (``case-studies.en``); ``iri`` is its absolute IRI
    (the cmi5 course id; AU ids are ``<iri>/<module-id>``).
    """

    identifier: str
    iri: str
    title: str
    description: str
    language: str
    scos: tuple[Sco, ...]
    shared_files: tuple[str, ...]

    def __post_init__(self) -> None:
        check_plan(self)

    @property
    def duration_minutes(self) -> int:
        """Typical learning time of the whole package."""
        return sum(s.duration_minutes for s in self.scos)

    @property
    def files(self) -> tuple[str, ...]:
        """Every file of the package except its manifest, sorted."""
        return tuple(sorted({*self.shared_files, *(f for s in self.scos for f in s.files)}))

    def au_iri(self, sco: Sco) -> str:
        """The cmi5 AU id of ``sco`` in this package."""
        return f"{self.iri}/{sco.identifier}"


def xml_id(prefix: str, value: str) -> str:
    """An xs:ID made of ``prefix`` and ``value`` (``ITEM-strategy-refresh``).

    >>> xml_id("ITEM", "2nd-module")
    'ITEM-2nd-module'
    >>> xml_id("ITEM", "a b")
    Traceback (most recent call last):
    ...
    clusterexcellence.scorm.exceptions.PlanError: 'ITEM-a b' is not a valid XML identifier (xs:ID)
    """
    ident = f"{prefix}-{value}"
    if not NCNAME.match(ident):
        raise PlanError(f"{ident!r} is not a valid XML identifier (xs:ID)")
    return ident


def check_plan(plan: PackagePlan) -> None:
    """Refuse a plan a manifest could not describe (raises :class:`PlanError`)."""
    where = f"package {plan.identifier!r}"
    if not NCNAME.match(plan.identifier):
        raise PlanError(f"{where}: the identifier is not a valid XML identifier (xs:ID)")
    if not ABSOLUTE_IRI.match(plan.iri):
        raise PlanError(f"{where}: {plan.iri!r} is not an absolute IRI")
    if not plan.scos:
        raise PlanError(f"{where}: no unit to launch")
    seen: set[str] = set()
    for sco in plan.scos:
        xml_id("ITEM", sco.identifier)
        if sco.identifier in seen:
            raise PlanError(f"{where}: unit {sco.identifier!r} appears twice")
        seen.add(sco.identifier)
        if sco.href not in sco.files:
            raise PlanError(f"{where}: launch page {sco.href!r} is not among its unit's files")
        if sco.mastery_score is not None and not 0 <= sco.mastery_score <= 1:
            raise PlanError(f"{where}: mastery score {sco.mastery_score} is outside [0, 1]")
        if sco.duration_minutes < 0:
            raise PlanError(f"{where}: unit {sco.identifier!r} has a negative duration")
    for path in (*plan.shared_files, *(f for s in plan.scos for f in s.files)):
        if not _PATH.match(path):
            raise PlanError(f"{where}: {path!r} is not a plain relative file path")
