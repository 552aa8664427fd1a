MATCH (u:User {name: $user_name})
SET u.lang = $lang
RETURN u.name AS name
