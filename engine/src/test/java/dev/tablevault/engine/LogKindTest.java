package dev.tablevault.engine;

import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.LogEntry;
import dev.tablevault.engine.codec.Records.LogKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LogKind}: an entry made from the enum encodes to the very bytes of one made from the kind's name (the
 * form every existing vault holds), and reads back as that kind.
 */
class LogKindTest {
    @ParameterizedTest
    @EnumSource(LogKind.class)
    void anEntryOfAKindEncodesAsItsName(LogKind kind) {
        byte[] typed = Codec.encode(new LogEntry(3L, kind, "step", 7L, "payload"));
        assertThat(typed).isEqualTo(Codec.encode(new LogEntry(3L, kind.name(), "step", 7L, "payload")));
        LogEntry back = Codec.decode(typed, LogEntry.class, "log");
        assertThat(back.is(kind)).isTrue();
        for (LogKind other : LogKind.values()) {
            assertThat(back.is(other)).isEqualTo(other == kind);
        }
    }
}
