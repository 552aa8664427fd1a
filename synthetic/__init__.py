"""Synthetic 医保 extracts with planted fraud rings and honest look-alikes.

``generate(out_dir, seed=..., persons=..., rings=..., fmt=...)`` writes the
eight tables of the data contract and returns a ``GenerationSummary``; the
``ringscope generate`` command wraps it. What the data holds (typologies,
traps, their rates) is described in ``README.md`` beside this file and set
in ``knobs.py``.
"""

from ringscope.synthetic.generator import GenerationSummary, generate
from ringscope.synthetic.knobs import DEFAULT_KNOBS, Knobs

__all__ = ["generate", "GenerationSummary", "Knobs", "DEFAULT_KNOBS"]
