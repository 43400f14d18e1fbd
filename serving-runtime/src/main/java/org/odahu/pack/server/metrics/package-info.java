/**
 * The server's metrics beyond its requests: process and worker-process usage from {@code /proc},
 * build and model info, and {@code /metrics} in Prometheus' text format or OpenMetrics.
 */
package org.odahu.pack.server.metrics;
