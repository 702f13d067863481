package dev.tickeretl.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
    void aWaitIsCountedAsHeldOrLimitedByWhatBlockedIt() throws Exception {
        RequestGate gate = new RequestGate(new Settings.RateLimit(1, Duration.ofMillis(200)));
        RequestGate.Permit free = gate.acquire();
        free.release();
        assertThat(free.heldNanos() + free.limitedNanos()).isZero();

        RequestGate.Permit limited = gate.acquire(); // the only slot frees 200 ms after the first answer
        limited.release();
        assertThat(limited.limitedNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(limited.heldNanos()).isZero();

        Thread.sleep(250); // the slot is free again
        gate.holdUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));
        RequestGate.Permit held = gate.acquire();
        held.release();
        assertThat(held.heldNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(held.limitedNanos()).isZero();
        assertThat(held.waitedNanos()).isGreaterThanOrEqualTo(held.heldNanos());
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

    @Test
    void aRequestWaitingForAnAnswerSleepsUntilSignalledInsteadOfPolling() throws Exception {
        RequestGate gate = new RequestGate(new Settings.RateLimit(1, Duration.ofMillis(1)));
        RequestGate.Permit inFlight = gate.acquire();
        AtomicReference<RequestGate.Permit> second = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                second.set(gate.acquire());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        // Untimed WAITING, for good: a poll would wake every few ms (TIMED_WAITING in a sleep).
        for (int i = 0; i < 20; i++) {
            assertThat(waiter.getState()).isEqualTo(Thread.State.WAITING);
            Thread.sleep(2);
        }

        inFlight.release();
        waiter.join(TimeUnit.SECONDS.toMillis(5));

        assertThat(waiter.isAlive()).isFalse();
        assertThat(second.get()).isNotNull();
    }

    @Test
    void tryAcquireGivesUpAtOnceWhenNoSlotCanFreeInTime() throws Exception {
        RequestGate gate = new RequestGate(new Settings.RateLimit(1, Duration.ofSeconds(10)));
        gate.acquire().release(); // the slot frees 10 s from now

        long start = System.nanoTime();
        RequestGate.Permit permit = gate.tryAcquire(TimeUnit.SECONDS.toNanos(2));

        assertThat(permit).isNull();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void tryAcquireWaitsForASlotThatFreesInTime() throws Exception {
        RequestGate gate = new RequestGate(new Settings.RateLimit(1, Duration.ofMillis(200)));
        gate.acquire().release();

        RequestGate.Permit permit = gate.tryAcquire(TimeUnit.SECONDS.toNanos(5));

        assertThat(permit).isNotNull();
        assertThat(permit.waitedNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
    }

    @Test
    void oneGatePerBaseUrlAndKeyIsSharedAndAnotherKeyOrBaseUrlGetsItsOwn() {
        URI base = URI.create("http://127.0.0.1:1");
        Settings.RateLimit limit = new Settings.RateLimit(5, Duration.ofMinutes(1));
        try (RequestGate.Lease a = RequestGate.share(base, new ApiKey("gate-key-1"), limit);
             RequestGate.Lease b = RequestGate.share(base, new ApiKey("gate-key-1"), limit);
             RequestGate.Lease otherKey = RequestGate.share(base, new ApiKey("gate-key-2"), limit);
             RequestGate.Lease otherBase = RequestGate.share(URI.create("http://127.0.0.1:2"),
                     new ApiKey("gate-key-1"), limit)) {
            assertThat(b.gate()).isSameAs(a.gate());
            assertThat(otherKey.gate()).isNotSameAs(a.gate());
            assertThat(otherBase.gate()).isNotSameAs(a.gate());
        }
    }

    @Test
    void aDifferentLimitForAKeyInUseIsRejectedAndOnceIdleReplacesIt() {
        URI base = URI.create("http://127.0.0.1:3");
        ApiKey key = new ApiKey("gate-key-3");
        Settings.RateLimit five = new Settings.RateLimit(5, Duration.ofMinutes(1));
        RequestGate first;
        try (RequestGate.Lease running = RequestGate.share(base, key, five)) {
            first = running.gate();
            assertThatThrownBy(() -> RequestGate.share(base, key, new Settings.RateLimit(10, Duration.ofMinutes(1))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("rate-limit:").hasMessageContaining("5/PT1M")
                    .hasMessageContaining("10/PT1M").hasMessageNotContaining("gate-key-3");
        }
        try (RequestGate.Lease again = RequestGate.share(base, key, five)) {
            assertThat(again.gate()).as("an idle gate keeps its history for the next run").isSameAs(first);
        }
        try (RequestGate.Lease changed = RequestGate.share(base, key, null)) {
            assertThat(changed.gate()).isNotSameAs(first);
        }
    }
}
