package org.odahu.pack.gppi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One column of a model's {@code info()} schema.
 *
 * @param name the column name
 * @param type its OpenAPI type ({@code number}, {@code integer}, {@code string}) or {@code null}
 * @param example an example value, as JSON
 * @param required whether the column is required
 */
public record SchemaField(String name, String type, JsonNode example, boolean required) {}
