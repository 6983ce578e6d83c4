"""SCORM 1.2, SCORM 2004 4th Edition and cmi5 packages of the learner player, and a checker.

``manifest`` and ``cmi5`` write the manifests from a :class:`~.plan.PackagePlan`,
``archive`` writes deterministic zips and reads packages within safe limits,
``schemas`` validates against the official XSDs offline, ``check`` checks any package
(ours or a third party's) and ``build`` makes packages from course content.
"""
