"""When things happen: days of the week and times of day as real ones vary.

Honest times are never on the minute: clinics open at 7:30, peaks come mid
morning and mid afternoon, pharmacies sell into the evening, discharges
happen in the morning. Rings reuse these clocks so their timestamps do not
stand out by themselves; only their bursts and lockstep do.
"""

from __future__ import annotations

import numpy as np

from ringscope.synthetic.claims import DAY

__all__ = ["clock", "weekday", "soften_weekends", "seconds", "HOUR"]

HOUR = 3600

# kind -> [(share, mean hour, sd hours, low hour, high hour)]
_CLOCKS: dict[str, list[tuple[float, float, float, float, float]]] = {
    "outpatient": [(0.64, 9.6, 1.1, 7.5, 12.0), (0.32, 15.2, 1.0, 13.5, 17.8), (0.04, 20.0, 1.8, 17.5, 23.5)],
    "pharmacy": [(0.40, 10.0, 1.5, 7.5, 13.0), (0.35, 16.5, 1.5, 13.0, 19.0), (0.25, 19.8, 1.1, 18.0, 22.5)],
    "admission": [(0.85, 10.5, 1.8, 7.5, 17.5), (0.15, 20.0, 2.5, 17.5, 23.9)],
    "discharge": [(1.0, 10.0, 1.0, 8.0, 16.0)],
}


def clock(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Seconds after midnight for ``n`` events of ``kind``."""
    parts = _CLOCKS[kind]
    shares = np.array([p[0] for p in parts])
    which = rng.choice(len(parts), size=n, p=shares / shares.sum())
    mean, sd, low, high = (np.array([p[k] for p in parts])[which] for k in (1, 2, 3, 4))
    hours = rng.normal(mean, sd)
    # redraw (rather than clip) out-of-hours draws, so no time piles up at opening
    for _ in range(8):
        bad = np.flatnonzero((hours < low) | (hours > high))
        if len(bad) == 0:
            break
        hours[bad] = rng.normal(mean[bad], sd[bad])
    hours = np.where((hours < low) | (hours > high), rng.uniform(low, high), hours)
    return (hours * 3600).astype(np.int64) + rng.integers(0, 60, n)


def weekday(day: np.ndarray, first_weekday: int) -> np.ndarray:
    """0 = Monday, for day offsets from a window starting on ``first_weekday``."""
    return (np.asarray(day) + first_weekday) % 7


def soften_weekends(day: np.ndarray, first_weekday: int, end: np.ndarray, share: float,
                    rng: np.random.Generator) -> np.ndarray:
    """Move ``share`` of weekend days to the nearest weekday (clinics are quieter then)."""
    wd = weekday(day, first_weekday)
    move = (wd >= 5) & (rng.random(len(day)) < share)
    shifted = np.where(wd == 5, day - 1, day + 1)
    ok = move & (shifted >= 0) & (shifted < end)
    return np.where(ok, shifted, day)


def seconds(day: np.ndarray, time_of_day: np.ndarray) -> np.ndarray:
    return np.asarray(day).astype(np.int64) * DAY + time_of_day
