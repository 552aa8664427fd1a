"""``ingest`` as an ordered list of named steps.

Why named steps (after splink's pipeline): a step's name appears in the
progress bars, in the timings of the ``(:IngestRun)`` record and in any error,
so "step create_claims: ..." says where a load stopped; ``debug`` logs each
step's start and time and keeps the staged files for a look afterwards.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ringscope.errors import RingscopeError

__all__ = ["Step", "StepFailed", "run_steps", "Progress"]

log = logging.getLogger("ringscope.ingest")

Progress = Callable[[int], None]


class StepFailed(RingscopeError):
    """A step stopped; names the step and keeps the cause's exit status."""

    def __init__(self, step: str, cause: RingscopeError):
        self.step, self.cause = step, cause
        self.exit_code = cause.exit_code
        super().__init__(f"step {step}: {cause}")


@dataclass(frozen=True)
class Step:
    """One named unit of work; ``total`` (rows) sizes its progress bar when known."""

    name: str
    run: Callable[[Progress], None]
    total: Callable[[], int | None] = field(default=lambda: None)


class _Bars:
    """rich progress bars, one per step; silent when nothing is listening."""

    def __init__(self, enabled: bool):
        self.progress = None
        if enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress,
                                       TextColumn, TimeElapsedColumn)
            self.progress = RichProgress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                                         TimeElapsedColumn(), transient=False)

    def __enter__(self) -> "_Bars":
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def task(self, name: str, total: int | None) -> tuple[Progress, Callable[[], None]]:
        if self.progress is None:
            return (lambda n: None), (lambda: None)
        task_id = self.progress.add_task(name, total=total)
        progress = self.progress

        def finish() -> None:
            current = progress.tasks[task_id].completed
            progress.update(task_id, total=max(current, 1) if total is None else total,
                            completed=max(current, 1) if total is None else total)

        return (lambda n: progress.advance(task_id, n)), finish


def run_steps(steps: list[Step], timings: dict[str, float], *, show_progress: bool, debug: bool) -> None:
    """Run ``steps`` in order, recording each one's seconds in ``timings``."""
    with _Bars(show_progress) as bars:
        for step in steps:
            if debug:
                log.info("step %s: starting", step.name)
            advance, finish = bars.task(step.name, step.total())
            began = time.perf_counter()
            try:
                step.run(advance)
            except StepFailed:
                raise
            except RingscopeError as error:
                raise StepFailed(step.name, error) from error
            finish()
            timings[step.name] = round(time.perf_counter() - began, 3)
            if debug:
                log.info("step %s: done in %.2f s", step.name, timings[step.name])


def remove_tree(path: Path) -> None:
    """Delete a scratch folder this run made."""
    shutil.rmtree(path, ignore_errors=True)
