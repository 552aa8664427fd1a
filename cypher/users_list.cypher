// Every account without its password hash: the assignee choices and the admin's users table.
MATCH (u:User)
RETURN u.name AS name, u.role AS role, u.lang AS lang, toString(u.created_at) AS created_at
ORDER BY u.name
