package org.odahu.pack.gppi.runtime;

/**
 * A worker's answer to one call.
 *
 * @param type one of the Python-to-Java types of {@link Frames}
 * @param payload the frame payload
 */
// Payloads are handed over, never copied: they are the hot path.
@SuppressWarnings("ArrayRecordComponent")
public record Reply(int type, byte[] payload) {}
