package org.odahu.pack.artifact.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * A file system failure in words. Java's file exceptions carry only the path as their message
 * ({@code NoSuchFileException: image.tar}), so a message built from {@code getMessage()} says
 * {@code Cannot read image.tar: image.tar}.
 */
public final class FileErrors {
  private FileErrors() {}

  /** Why {@code failure} happened: {@code no such file}, {@code permission denied}, ... */
  public static String reason(IOException failure) {
    return switch (failure) {
      case NoSuchFileException missing -> "no such file";
      case AccessDeniedException denied -> "permission denied";
      case FileSystemException other when other.getReason() != null -> other.getReason();
      default -> failure.getMessage() != null ? failure.getMessage() : "an input/output error";
    };
  }
}
