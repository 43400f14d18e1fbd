package org.odahu.pack.server.capture.s3;

/**
 * Puts whole objects into a bucket; called from several upload threads at once. {@link
 * S3ObjectUploader} is the real one.
 */
public interface ObjectUploader extends AutoCloseable {

  /**
   * Creates or replaces the object {@code key} with {@code content}, once; the caller retries.
   *
   * @throws ObjectUploadException when the object was not stored
   */
  void put(String key, byte[] content) throws ObjectUploadException;

  /** The object's URL for logs, e.g. {@code s3://bucket/key}. */
  String describe(String key);

  /** Releases connections; puts in progress may fail. */
  @Override
  void close();
}
