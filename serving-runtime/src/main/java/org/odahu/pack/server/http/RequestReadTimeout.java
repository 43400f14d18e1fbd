package org.odahu.pack.server.http;

/**
 * The event {@link RequestDecoder} fires when a request did not arrive whole in time; the
 * connection is answered 408 and closed.
 */
enum RequestReadTimeout {
  EVENT
}
