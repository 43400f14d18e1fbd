package org.odahu.pack.server.http;

/** Writes errors in one API's format, e.g. ODAHU's {@code {"message": "..."}}. */
@FunctionalInterface
public interface ErrorEncoder {
  /** The response for {@code error}, its status and headers included. */
  ApiResponse encode(ApiError error);
}
