package org.odahu.pack.server.http;

import io.netty.handler.codec.http.HttpRequest;

/**
 * A request refused before its body was read (too large, or too many bodies held at once), passed
 * on instead of the request so that it is answered in order, in its route's format.
 *
 * @param head the request line and headers
 * @param error the answer
 * @param close whether the connection closes after the answer
 */
record RefusedRequest(HttpRequest head, ApiError error, boolean close) {}
