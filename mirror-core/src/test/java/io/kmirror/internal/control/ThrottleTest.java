package io.kmirror.internal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(42 * SECOND);

    @Test
    void withoutABudget_nothingIsEverHeldBack() {
        Throttle throttle = new Throttle(0, now::get);
        throttle.fetched(Long.MAX_VALUE / 2);
        assertThat(throttle.exhausted()).isFalse();
        assertThat(throttle.isOn()).isFalse();
    }

    @Test
    void startsEmpty_andRefillsAtTheBudget() {
        Throttle throttle = new Throttle(1_000, now::get);
        assertThat(throttle.exhausted()).as("nothing may be fetched before time has passed").isTrue();
        now.addAndGet(SECOND / 10);
        assertThat(throttle.exhausted()).isFalse();
        throttle.fetched(100);
        assertThat(throttle.exhausted()).as("the tenth of a second's 100 bytes are used").isTrue();
    }

    @Test
    void aLargeFetchIsDebt_repaidBeforeTheNextOne() {
        Throttle throttle = new Throttle(1_000, now::get);
        now.addAndGet(SECOND);
        throttle.fetched(5_000); // one fetch of five seconds' worth
        now.addAndGet(4 * SECOND);
        assertThat(throttle.exhausted()).as("4 of the 5 seconds repaid").isTrue();
        now.addAndGet(SECOND + 1);
        assertThat(throttle.exhausted()).isFalse();
    }

    @Test
    void holdsAtMostOneSecondOfBudget_soIdleTimeIsNoLicenceForABurst() {
        Throttle throttle = new Throttle(1_000, now::get);
        now.addAndGet(3_600 * SECOND);
        throttle.fetched(1_000);
        assertThat(throttle.exhausted()).isTrue();
    }

    @Test
    void overAMinuteTheRateStaysWithinTheBudgetPlusOneFetch() {
        Throttle throttle = new Throttle(10_000, now::get);
        long fetched = 0;
        long start = now.get();
        while (now.get() - start < 60 * SECOND) {
            if (!throttle.exhausted()) {
                throttle.fetched(3_000);
                fetched += 3_000;
            }
            now.addAndGet(SECOND / 100); // a poll loop every 10 ms
        }
        assertThat(fetched).isBetween(60 * 10_000L - 3_000, 60 * 10_000L + 10_000 + 3_000);
    }

    @Test
    void aNewBudgetAppliesAtOnce_andZeroLiftsIt() {
        Throttle throttle = new Throttle(1_000_000, now::get);
        now.addAndGet(SECOND);
        throttle.set(10);
        throttle.fetched(11);
        assertThat(throttle.exhausted()).as("a second of the old budget is not kept").isTrue();
        throttle.set(0);
        assertThat(throttle.exhausted()).isFalse();
        assertThat(throttle.bytesPerSecond()).isZero();
    }

    @Test
    void aNegativeBudgetIsRefusedNamingTheSetting() {
        Throttle throttle = new Throttle(0, now::get);
        assertThatThrownBy(() -> throttle.set(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBytesPerSecond").hasMessageContaining("-1");
    }
}
