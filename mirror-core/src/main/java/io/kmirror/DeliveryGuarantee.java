package io.kmirror;

/** What a mirror promises about each source record reaching the destination. */
public enum DeliveryGuarantee {
    /**
     * Every record reaches the destination at least once, even when the mirror process is killed: a
     * source offset is committed only after the destination acknowledged every record below it. After
     * a crash or a rebalance, records after the last commit are sent again, so the destination may
     * hold duplicates.
     */
    AT_LEAST_ONCE,
    /**
     * Every record is visible exactly once to destination readers using
     * {@code isolation.level=read_committed}: records and the source offsets they cover are committed
     * in one destination transaction, and a partition's new owner fences the previous one. Costs one
     * producer per assigned source partition; see the README's "Exactly-once" section.
     */
    EXACTLY_ONCE
}
