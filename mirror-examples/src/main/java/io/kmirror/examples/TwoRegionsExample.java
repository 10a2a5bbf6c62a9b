package io.kmirror.examples;

import io.kmirror.Mirror;
import io.kmirror.TopicFilter;
import java.util.List;
import java.util.Map;

/**
 * README's active-active example: topic {@code orders} mirrored both ways between two regions under the
 * same name; loop prevention (on by default) keeps records from going round.
 */
public final class TwoRegionsExample {

    private TwoRegionsExample() {
    }

    /** The two mirrors, not started: east to west and west to east, given each region's bootstrap servers. */
    public static List<Mirror> build(String eastServers, String westServers) {
        // snippet:start two-regions
        Mirror eastToWest = Mirror.builder()
                .source(Map.of("bootstrap.servers", eastServers))
                .destination(Map.of("bootstrap.servers", westServers))
                .topics(TopicFilter.include("orders"))
                .groupId("east-to-west")
                .build();
        Mirror westToEast = Mirror.builder()
                .source(Map.of("bootstrap.servers", westServers))
                .destination(Map.of("bootstrap.servers", eastServers))
                .topics(TopicFilter.include("orders"))
                .groupId("west-to-east")
                .build();
        // snippet:end two-regions
        return List.of(eastToWest, westToEast);
    }
}
