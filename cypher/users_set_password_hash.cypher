// Re-hash on login when the hasher's parameters were raised since the password was set.
MATCH (u:User {name: $user_name})
SET u.password_hash = $password_hash
RETURN u.name AS name
