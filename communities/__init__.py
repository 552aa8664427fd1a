"""Detection: jobs that turn projections into candidate groups, rings that merge
and score them, and the evaluation that measures both against ground truth.

Public entry points: :func:`ringscope.communities.pipeline.detect_tables` (pure,
from :class:`~ringscope.communities.tables.Tables` to a
:class:`~ringscope.communities.model.DetectionResult`) and
:func:`ringscope.communities.evaluation.evaluate_rings`.
"""
