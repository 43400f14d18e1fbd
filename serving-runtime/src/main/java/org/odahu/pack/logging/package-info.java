/**
 * Log lines as text or JSON, and the context (model, request id, trace) a line about a request
 * carries. {@link org.odahu.pack.commandline.Logging} installs the format; code that logs about a
 * request uses a {@link org.odahu.pack.logging.ContextLogger}.
 */
package org.odahu.pack.logging;
