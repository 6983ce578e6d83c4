"""Course content (YAML + Markdown under ``content/``) and the tools that load and check it."""
