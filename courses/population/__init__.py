"""The SYNTHETIC reference population: its calibration, its generator, the bundled files."""
