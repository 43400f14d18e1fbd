package org.odahu.pack.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.odahu.pack.gppi.ModelBackend;
import org.odahu.pack.server.ServerConfig;
import org.odahu.pack.server.capture.Capture;

/**
 * What every connection's handler shares: the configuration, the model backend, metrics, capture,
 * the access log (which may be {@code null} when disabled) and the server's state.
 *
 * @param config the server configuration
 * @param backend the model backend
 * @param modelName the name reported in {@code Model-Name} and swagger
 * @param modelVersion the version reported in {@code Model-Version} and swagger
 * @param metrics the server metrics
 * @param registry the registry {@code /metrics} scrapes
 * @param capture request/response and feedback capture ({@link Capture#disabled()} when off)
 * @param accessLog the access log, or {@code null}
 * @param inFlight requests received and not yet answered
 * @param draining set once shutdown has begun: responses then close their connections
 * @param swagger the rendered {@code /api/model/info} document, once known
 */
public record ServerContext(
    ServerConfig config,
    ModelBackend backend,
    String modelName,
    String modelVersion,
    ServerMetrics metrics,
    PrometheusMeterRegistry registry,
    Capture capture,
    AccessLog accessLog,
    AtomicInteger inFlight,
    AtomicBoolean draining,
    AtomicReference<byte[]> swagger) {}
