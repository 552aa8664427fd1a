// After a bulk import the constraints' indexes are built in the background;
// wait for them so the first queries on the new store are not full scans.
CALL db.awaitIndexes(1800)
