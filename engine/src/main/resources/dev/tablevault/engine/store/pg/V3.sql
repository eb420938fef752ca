-- TableVault on PostgreSQL, schema version 3: instance keys from one sequence every host draws from.
-- No engine wrote instances to a PostgreSQL vault before this version; the sequence still starts past the
-- instance key of the largest cell key in tv_data (its first 8 bytes, big-endian), so no key is handed out twice.
CREATE SEQUENCE tv_instance_key;
SELECT setval('tv_instance_key', coalesce((SELECT ('x' || encode(substring(k FROM 1 FOR 8), 'hex'))::bit(64)::bigint
    FROM tv_data ORDER BY k DESC LIMIT 1), 0) + 1, false);
