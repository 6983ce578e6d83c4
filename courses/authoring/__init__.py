"""Authoring tools: skeletons of new modules.

The preview server is :mod:`clusterexcellence.player.preview`.
"""
