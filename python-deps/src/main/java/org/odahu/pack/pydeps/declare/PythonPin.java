package org.odahu.pack.pydeps.declare;

import org.odahu.pack.pydeps.pep440.SpecifierSet;

/**
 * A Python version a declaration asks for ({@code python=3.7} in conda.yaml, {@code python: 3.8.15}
 * in python_env.yaml).
 *
 * @param written the pin as written
 * @param versions the versions it accepts
 * @param origin the file and line
 */
public record PythonPin(String written, SpecifierSet versions, String origin) {}
