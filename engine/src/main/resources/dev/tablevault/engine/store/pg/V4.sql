-- TableVault on PostgreSQL, schema version 4: a run exists from the moment its process may take locks.
-- A run begins (persisted = false) before its process's first lock row, so lock rows always have a run; the
-- process's first batch (every batch passes the fence check) sets persisted. A dead host's runs that never
-- persisted are deleted by the sweep, with their lock rows; the others are orphaned and resumed elsewhere.
-- Rows written before this version were inserted by a process's first batch, so they default to persisted.
ALTER TABLE tv_runs ADD COLUMN persisted boolean NOT NULL DEFAULT true;
