package dev.tickeretl.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestGateTest {

    @Test
    void noLimitNeverWaits() throws Exception {
        RequestGate gate = new RequestGate(null);
        for (int i = 0; i < 100; i++) {
            assertThat(gate.await()).isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void theWindowsCountThenWaitsForTheOldestStartToLeaveTheWindow() throws Exception {
        RequestGate gate = new RequestGate(new Settings.RateLimit(3, Duration.ofMillis(300)));
        long start = System.nanoTime();
        gate.await();
        gate.await();
        gate.await();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));

        long waited = gate.await();

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(waited).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void aHoldDelaysEveryoneUntilItsInstantAndALaterHoldExtendsIt() throws Exception {
        RequestGate gate = new RequestGate(null);
        long now = System.nanoTime();
        gate.holdUntil(now + TimeUnit.MILLISECONDS.toNanos(150));
        gate.holdUntil(now + TimeUnit.MILLISECONDS.toNanos(250));
        gate.holdUntil(now + TimeUnit.MILLISECONDS.toNanos(100));

        gate.await();

        assertThat(System.nanoTime() - now).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat(gate.await()).isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
    }
}
