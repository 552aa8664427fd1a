MATCH (u:User)
RETURN u.name AS name, u.role AS role
ORDER BY u.name
