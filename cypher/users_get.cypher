MATCH (u:User {name: $user_name})
RETURN u.name AS name, u.role AS role, u.password_hash AS password_hash, coalesce(u.lang, 'zh') AS lang
