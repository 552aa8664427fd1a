// One tiny node per row, for the crash-recovery test of the embedded server.
UNWIND $rows AS row
CREATE (:Probe {n: row.n})
