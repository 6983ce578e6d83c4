"""Authoring tools: skeletons of new modules and the preview server with its pages."""
