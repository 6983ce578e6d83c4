"""The learner player: one HTML/CSS/JS app that renders any module, and its bundles.

- :mod:`.bundle` builds a module's bundle (JSON: sanitised content, UI strings, peer
  quantiles, and for hosts that score in the browser the answer keys);
- :mod:`.site` lays out the app's files and a module's launch page for a channel;
- ``static/`` holds the app; ``static/js/evaluator.js`` is the JavaScript evaluator of the
  scoring spec, whose results equal the Python engine's (``tests/player/test_parity.py``).

See ``docs/player.md``.
"""
