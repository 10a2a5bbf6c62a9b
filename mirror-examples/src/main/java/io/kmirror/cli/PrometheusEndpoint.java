package io.kmirror.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kmirror.Mirror;
import io.kmirror.MirrorMeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code --metrics.port}: the mirror's metrics as Prometheus text at {@code /metrics}, from Micrometer's
 * Prometheus registry (through {@link MirrorMeterBinder}) served by the JDK's HTTP server on every
 * interface, as Prometheus exporters do. JMX stays on regardless.
 */
final class PrometheusEndpoint implements AutoCloseable {

    /** The path Prometheus scrapes. */
    static final String PATH = "/metrics";

    private final HttpServer server;
    private final PrometheusMeterRegistry registry;

    private PrometheusEndpoint(HttpServer server, PrometheusMeterRegistry registry) {
        this.server = server;
        this.registry = registry;
    }

    /**
     * Binds {@code mirror}'s meters and serves them on {@code port} (0: any free port).
     *
     * @throws UsageException if the port cannot be bound
     */
    static PrometheusEndpoint start(Mirror mirror, int port) throws UsageException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UsageException("--metrics.port " + port + " cannot be served (" + e.getMessage()
                    + "); is another program using the port? Choose another one");
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new MirrorMeterBinder(mirror).bindTo(registry);
        server.createContext(PATH, exchange -> respond(exchange, registry));
        server.start();
        return new PrometheusEndpoint(server, registry);
    }

    /** The port it serves on. */
    int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** Stops serving. */
    @Override
    public void close() {
        server.stop(0);
        registry.close();
    }
}
