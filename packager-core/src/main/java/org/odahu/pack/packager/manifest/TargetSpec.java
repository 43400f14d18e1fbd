package org.odahu.pack.packager.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A packaging target: which connection serves which purpose ({@code docker-push}, {@code
 * docker-pull}).
 *
 * @param name the target name
 * @param connectionName the connection's id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TargetSpec(
    @JsonProperty("name") String name, @JsonProperty("connectionName") String connectionName) {}
