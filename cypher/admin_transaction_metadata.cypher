// The metadata this transaction carries; lets a test see the runner's tagging.
CALL tx.getMetaData() YIELD metadata
RETURN metadata
