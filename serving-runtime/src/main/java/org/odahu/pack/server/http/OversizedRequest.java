package org.odahu.pack.server.http;

import io.netty.handler.codec.http.HttpRequest;

/**
 * A request whose body exceeded the limit, passed on by {@link RequestAggregator} instead of the
 * request so that its 413 is answered in order like any other response.
 *
 * @param request the request line and headers
 */
record OversizedRequest(HttpRequest request) {}
