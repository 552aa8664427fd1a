"""Small generated extracts shared by the synthetic tests (generated once per session)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from ringscope.synthetic import GenerationSummary, generate

SEED = 7
PERSONS = 3_000
TABLES = ("persons", "facilities", "practitioners", "claims", "claim_items", "identifiers", "purchases", "labels")


@dataclass
class Extract:
    summary: GenerationSummary
    path: Path

    def read(self, name: str) -> pd.DataFrame:
        """A CSV table with every value as text, as an ingest step would first see it."""
        return pd.read_csv(self.path / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def extract(tmp_path_factory) -> Extract:
    out = tmp_path_factory.mktemp("rings")
    return Extract(generate(out, seed=SEED, persons=PERSONS), out)


@pytest.fixture(scope="session")
def honest_extract(tmp_path_factory) -> Extract:
    out = tmp_path_factory.mktemp("no_rings")
    return Extract(generate(out, seed=SEED, persons=PERSONS, rings=False), out)
