package org.odahu.pack.server.http;

import io.netty.handler.codec.http.HttpRequest;

/**
 * The event {@link RequestDecoder} fires when a request did not arrive whole in time; the
 * connection is answered 408 and closed.
 *
 * @param head the request's line and headers when they arrived (its body did not), else {@code
 *     null}: the answer is then in the format of the path's API
 */
record RequestReadTimeout(HttpRequest head) {}
