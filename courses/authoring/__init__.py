"""Authoring tools: skeletons of new modules (the preview server is :mod:`clusterexcellence.player.preview`)."""
