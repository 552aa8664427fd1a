// Every probe written by the crash-recovery test.
MATCH (p:Probe)
RETURN p.n AS n
