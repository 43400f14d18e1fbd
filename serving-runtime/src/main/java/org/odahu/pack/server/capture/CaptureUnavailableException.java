package org.odahu.pack.server.capture;

/** A record that was not stored: capture is off, its queue is full, or the sink lost it. */
public final class CaptureUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CaptureUnavailableException(String message) {
    super(message);
  }
}
