"""Course content (YAML + Markdown under ``content/``) and the tools that load and check it.

The modules at the top hold the content model, its loader and its validator;
:mod:`.authoring` the authoring tools (skeletons of new modules); :mod:`.population`
the synthetic reference population. Real reference data is read by the engine
(:mod:`clusterexcellence.engine.reference`).
"""
