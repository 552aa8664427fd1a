"""The intensity benchmark's table: recall and planted rings per typology and band."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from recall_by_intensity import breakdown  # noqa: E402


def test_each_cell_is_the_recall_of_the_rings_in_it_and_how_many_were_planted():
    rows = pd.DataFrame({"typology": ["card_cashout"] * 3 + ["drug_resale"] * 2,
                         "intensity": [0.2, 0.2, 0.9, 0.2, 0.9], "recalled": [True, False, True, False, False]})
    band = rows["intensity"].gt(0.5).map({False: "faint", True: "loud"})
    table = breakdown(rows, band)
    assert table.loc["card_cashout", "faint"] == "0.50 (2)" and table.loc["card_cashout", "loud"] == "1.00 (1)"
    assert table.loc["drug_resale", "loud"] == "0.00 (1)"
    assert table.loc["all", "faint"] == "0.33 (3)" and table.loc["all", "loud"] == "0.50 (2)"
