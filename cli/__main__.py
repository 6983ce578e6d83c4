"""``python -m clusterexcellence.cli``: the same program as ``cluster-excellence``."""

from .main import app

app(prog_name="cluster-excellence")
