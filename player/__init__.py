"""The learner player: one HTML/CSS/JS app that renders any module, and its bundles.

``static/js/evaluator.js`` is the JavaScript evaluator of the scoring spec that hosts
which cannot keep a secret (SCORM, cmi5, preview) use to score locally; its results
equal the Python engine's (``tests/player/test_parity.py``).
"""
