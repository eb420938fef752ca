-- TableVault on PostgreSQL, schema version 1.
-- The four families: byte keys exactly as the engine's Keys build them; bytea compares like memcmp.
CREATE TABLE tv_meta  (k bytea PRIMARY KEY, v bytea NOT NULL);
CREATE TABLE tv_proc  (k bytea PRIMARY KEY, v bytea NOT NULL);
CREATE TABLE tv_lockrecs (k bytea PRIMARY KEY, v bytea NOT NULL);  -- the LOCKS family (tv_locks is kept for cross-host lock rows)
CREATE TABLE tv_data  (k bytea PRIMARY KEY, v bytea NOT NULL);
-- chunks are already compact: out of line, no pglz pass
ALTER TABLE tv_data ALTER COLUMN v SET STORAGE EXTERNAL;

-- Coordination, typed because SQL reasons about it.
CREATE TABLE tv_hosts (
  host_id     text PRIMARY KEY,          -- stable name, e.g. hostname:pid:start
  os_pid      bigint NOT NULL,
  boot_id     text NOT NULL,             -- the machine's boot id (/proc/sys/kernel/random/boot_id)
  epoch       bigint NOT NULL,           -- bumped at each registration and when declared dead
  lease_until timestamptz NOT NULL,      -- database clock: now() + ttl at each renewal
  state       text NOT NULL CHECK (state IN ('LIVE', 'DEAD')),
  started     timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE tv_runs (                   -- one row per active process (mirrors its record's state)
  pid        text PRIMARY KEY,
  parent     text,                       -- sub-processes share their ancestors' locks
  state      text NOT NULL CHECK (state IN ('RUNNING', 'PAUSED', 'ORPHANED')),
  owner_host text,                       -- NULL while paused or orphaned
  fence      bigint NOT NULL,            -- bumped on every claim or takeover
  attempts   int NOT NULL DEFAULT 0,
  updated    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tv_runs_unowned ON tv_runs (state) WHERE owner_host IS NULL;
CREATE INDEX tv_runs_owner ON tv_runs (owner_host) WHERE owner_host IS NOT NULL;
CREATE TABLE tv_lock_waits (waiter text PRIMARY KEY, holders text[] NOT NULL, since timestamptz NOT NULL);
CREATE TABLE tv_mutex (name text PRIMARY KEY);
INSERT INTO tv_mutex VALUES ('waits'), ('gc');
