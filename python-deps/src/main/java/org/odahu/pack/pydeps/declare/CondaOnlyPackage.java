package org.odahu.pack.pydeps.declare;

/**
 * A conda package that is not a Python distribution (a native library such as {@code mkl} or {@code
 * cudatoolkit}): it cannot come from a Python index, so the base image must provide it.
 *
 * @param name the conda name
 * @param written the entry as written
 * @param origin the file and line
 */
public record CondaOnlyPackage(String name, String written, String origin) {}
