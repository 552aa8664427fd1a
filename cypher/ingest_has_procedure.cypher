// Whether the server offers the procedure $procedure (the embedded one has
// ringscope.createLinked; an external server has it only if our jar is among
// its plugins).
SHOW PROCEDURES YIELD name
WHERE name = $procedure
RETURN count(*) AS found
