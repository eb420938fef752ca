package dev.tablevault.engine.runner;

import dev.tablevault.api.ProcessState;
import dev.tablevault.api.ProcessStatus;
import dev.tablevault.engine.ChildJvm;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner identity: alive means that pid, started at that time, still exists. */
class RunnerIdTest {
    /** A child main that prints {@code UP} and waits for stdin to close. */
    public static final class Waiting {
        public static void main(String[] args) throws IOException {
            System.out.println("UP");
            System.out.flush();
            System.in.readAllBytes();
        }
    }

    @Test
    void thisJvmIsAliveAndCurrent() {
        RunnerId me = RunnerId.current();
        assertThat(me.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(me.startMillis()).isEqualTo(ProcessHandle.current().info().startInstant().orElseThrow()
                .toEpochMilli());
        assertThat(me.isAlive()).isTrue();
        assertThat(me.isCurrent()).isTrue();
        assertThat(me.start()).isNotNull();
    }

    @Test
    void theSamePidStartedAtAnotherTimeIsNotAlive() {
        RunnerId me = RunnerId.current();
        RunnerId earlier = new RunnerId(me.pid(), me.startMillis() - 3_600_000);
        assertThat(earlier.isAlive()).isFalse();
        assertThat(earlier.isCurrent()).isFalse();
        // Within the tolerance for a boot time that moved with the clock it is the same process.
        assertThat(new RunnerId(me.pid(), me.startMillis() + RunnerId.START_TOLERANCE_MILLIS).isAlive()).isTrue();
        assertThat(new RunnerId(me.pid(), 0).isAlive()).as("start unknown: the pid alone").isTrue();
    }

    @Test
    void aKilledChildIsNotAlive() throws Exception {
        RunnerId child;
        try (ChildJvm jvm = ChildJvm.start(Waiting.class)) {
            String line;
            do {
                line = jvm.nextLine();
            } while (line != null && !line.equals("UP"));
            assertThat(line).as(jvm.output()).isEqualTo("UP");
            child = RunnerId.of(jvm.process().toHandle());
            assertThat(child.startMillis()).isPositive();
            assertThat(child.isAlive()).isTrue();
            assertThat(child.isCurrent()).isFalse();
            jvm.kill();
        }
        assertThat(child.isAlive()).isFalse();
        assertThat(new RunnerId(child.pid(), 0).isAlive()).isFalse();
    }

    @Test
    void setupOrRunningWithADeadRunnerShowsCrashed() {
        assertThat(ProcessStatus.of(ProcessState.RUNNING, false)).isEqualTo(ProcessStatus.CRASHED);
        assertThat(ProcessStatus.of(ProcessState.SETUP, false)).isEqualTo(ProcessStatus.CRASHED);
        assertThat(ProcessStatus.of(ProcessState.RUNNING, true)).isEqualTo(ProcessStatus.RUNNING);
        for (ProcessState s : ProcessState.values()) {
            if (s != ProcessState.SETUP && s != ProcessState.RUNNING) {
                assertThat(ProcessStatus.of(s, false)).hasToString(s.name());
            }
        }
    }
}
