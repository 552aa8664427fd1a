// A new app account; returns nothing when the name is taken (the caller says so).
OPTIONAL MATCH (existing:User {name: $user_name})
WITH existing WHERE existing IS NULL
CREATE (u:User {name: $user_name, role: $role, password_hash: $password_hash, lang: $lang,
                created_at: datetime()})
RETURN u.name AS name
