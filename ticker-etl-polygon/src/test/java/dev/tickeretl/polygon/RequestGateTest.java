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
            RequestGate.Permit permit = gate.acquire();
            permit.release();
            assertThat(permit.waitedNanos()).isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void nRequestsGoAtOnceThenTheNextWaitsAWindowFromTheOldestAnswer() throws Exception {
        RequestGate gate = new RequestGate(new Settings.RateLimit(3, Duration.ofMillis(300)));
        long start = System.nanoTime();
        gate.acquire().release();
        gate.acquire().release();
        RequestGate.Permit slow = gate.acquire();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
        Thread.sleep(100);
        slow.release(); // its answer came 100 ms later: its slot frees 300 ms after that

        gate.acquire().release();
        gate.acquire().release();
        long beforeFourth = System.nanoTime() - start;
        RequestGate.Permit last = gate.acquire();

        assertThat(beforeFourth).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
        assertThat(last.waitedNanos()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aSlotInFlightIsNotReusedUntilItsAnswerIsIn() throws Exception {
        RequestGate gate = new RequestGate(new Settings.RateLimit(1, Duration.ofMillis(50)));
        RequestGate.Permit inFlight = gate.acquire();
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            inFlight.release();
        });
        long start = System.nanoTime();
        releaser.start();

        gate.acquire().release();

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        releaser.join();
    }

    @Test
    void aHoldDelaysEveryoneUntilItsInstantAndALaterHoldExtendsIt() throws Exception {
        RequestGate gate = new RequestGate(null);
        long now = System.nanoTime();
        gate.holdUntil(now + TimeUnit.MILLISECONDS.toNanos(150));
        gate.holdUntil(now + TimeUnit.MILLISECONDS.toNanos(250));
        gate.holdUntil(now + TimeUnit.MILLISECONDS.toNanos(100));

        gate.acquire().release();

        assertThat(System.nanoTime() - now).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat(gate.acquire().waitedNanos()).isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
    }
}
