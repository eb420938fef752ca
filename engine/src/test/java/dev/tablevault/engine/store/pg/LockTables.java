package dev.tablevault.engine.store.pg;

import com.zaxxer.hikari.HikariDataSource;
import dev.tablevault.api.LockMode;
import dev.tablevault.api.ProcessState;
import dev.tablevault.engine.lock.LockManager;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * The two lock tables behind one test interface, so {@link LockContractTest} runs the same scenarios on both:
 * processes run on host 1 or 2 (on PostgreSQL: a {@code tv_runs} row owned by {@code h1} or {@code h2}, and
 * each host its own pool and {@link PgLocks}; in memory: one {@link LockManager}, the hosts' runners named by
 * their OS process).
 */
interface LockTables extends AutoCloseable {

    /** One host's view of the lock table. */
    interface Locks {
        void acquire(String pid, String resource, LockMode mode, Duration timeout) throws InterruptedException;

        void releaseAll(String pid);

        /** {@code "resource MODE"}, sorted. */
        List<String> heldBy(String pid);
    }

    /** Starts process {@code pid} (a sub-process of {@code parent}, or null) running on {@code host}. */
    void start(String pid, String parent, int host);

    /** Pauses {@code pid} with {@code error}, as the runner does. */
    void pause(String pid, String error);

    Locks on(int host);

    /** True once {@code pid} is recorded as waiting (its thread is {@code waiter}). */
    boolean waiting(String pid, Thread waiter);

    @Override
    void close();

    static List<String> sorted(List<LockManager.Held> held) {
        return held.stream().map(h -> h.resource() + " " + h.mode()).sorted().toList();
    }

    /** Sub-processes share their ancestors' locks, as {@code Processes.shares} decides from the running tree. */
    static BiPredicate<String, String> sharing(Map<String, String> parents) {
        return (holder, requester) -> {
            for (String p = requester; p != null; p = parents.get(p)) {
                if (p.equals(holder)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** The in-memory table: one {@link LockManager}; both hosts are this JVM. */
    final class InMemory implements LockTables {
        private final Map<String, LockManager.Holder> states = new ConcurrentHashMap<>();
        private final Map<String, String> parents = new ConcurrentHashMap<>();
        private final LockManager lm = new LockManager(new LockManager.Holders() {
            @Override
            public LockManager.Holder describe(String processId) {
                return states.get(processId);
            }

            @Override
            public boolean shares(String holder, String requester) {
                return sharing(parents).test(holder, requester);
            }
        });
        private final Locks locks = new Locks() {
            @Override
            public void acquire(String pid, String resource, LockMode mode, Duration timeout)
                    throws InterruptedException {
                lm.acquire(pid, resource, mode, timeout);
            }

            @Override
            public void releaseAll(String pid) {
                lm.releaseAll(pid);
            }

            @Override
            public List<String> heldBy(String pid) {
                return sorted(lm.heldBy(pid));
            }
        };

        @Override
        public void start(String pid, String parent, int host) {
            if (parent != null) {
                parents.put(pid, parent);
            }
            states.put(pid, new LockManager.Holder(ProcessState.RUNNING, null, true,
                    host == 1 ? LockDb.OS_PID_1 : LockDb.OS_PID_2));
        }

        @Override
        public void pause(String pid, String error) {
            // a paused process has no runner; PostgreSQL's tv_runs forgets the host at once, so both say "unknown"
            states.put(pid, new LockManager.Holder(ProcessState.PAUSED, error, false, null));
            lm.holderChanged(pid);
        }

        @Override
        public Locks on(int host) {
            return locks;
        }

        @Override
        public boolean waiting(String pid, Thread waiter) {
            return waiter.getState() == Thread.State.TIMED_WAITING;
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "LockManager";
        }
    }

    /** The PostgreSQL table: two hosts, each with its own pool and {@link PgLocks}. */
    final class OnPostgres implements LockTables {
        final LockDb db;
        final HikariDataSource pool1;
        final HikariDataSource pool2;
        final PgLocks locks1;
        final PgLocks locks2;
        private final Map<String, String> parents = new ConcurrentHashMap<>();
        private final Map<String, String> errors = new ConcurrentHashMap<>();

        OnPostgres(LockDb db) {
            this.db = db;
            db.clear();
            pool1 = db.pool();
            pool2 = db.pool();
            locks1 = newLocks(pool1);
            locks2 = newLocks(pool2);
        }

        PgLocks newLocks(HikariDataSource pool) {
            return new PgLocks(pool, sharing(parents), errors::get);
        }

        @Override
        public void start(String pid, String parent, int host) {
            if (parent != null) {
                parents.put(pid, parent);
            }
            db.run("INSERT INTO tv_runs (pid, parent, state, owner_host, fence) VALUES ('" + pid + "', "
                    + (parent == null ? "NULL" : "'" + parent + "'") + ", 'RUNNING', 'h" + host + "', 1)");
        }

        @Override
        public void pause(String pid, String error) {
            errors.put(pid, error);
            db.run("UPDATE tv_runs SET state = 'PAUSED', owner_host = NULL WHERE pid = '" + pid + "'");
        }

        @Override
        public Locks on(int host) {
            PgLocks l = host == 1 ? locks1 : locks2;
            return new Locks() {
                @Override
                public void acquire(String pid, String resource, LockMode mode, Duration timeout)
                        throws InterruptedException {
                    l.acquire(pid, resource, mode, timeout);
                }

                @Override
                public void releaseAll(String pid) {
                    l.releaseAll(pid);
                }

                @Override
                public List<String> heldBy(String pid) {
                    return sorted(l.heldBy(pid));
                }
            };
        }

        @Override
        public boolean waiting(String pid, Thread waiter) {
            return db.count("SELECT count(*) FROM tv_lock_waits WHERE waiter = '" + pid + "'") == 1;
        }

        long edges() {
            return db.count("SELECT count(*) FROM tv_lock_waits");
        }

        @Override
        public void close() {
            pool1.close();
            pool2.close();
        }

        @Override
        public String toString() {
            return "PgLocks";
        }
    }
}
