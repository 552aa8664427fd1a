MATCH (u:User {name: $name})
SET u.lang = $lang
RETURN u.name AS name
