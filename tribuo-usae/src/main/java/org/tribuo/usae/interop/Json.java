package org.tribuo.usae.interop;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small, checked reads of JSON config files (cfg.json, usae.json): size-limited, strict, one-line errors. */
final class Json {
    private Json() {
    }

    static JsonNode read(Path file, long maxBytes) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + " is missing (or not a regular file)");
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new IllegalArgumentException(file + " is " + size + " bytes, more than the " + maxBytes
                        + " a config file may have");
            }
            ObjectMapper mapper = new ObjectMapper();
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonNode node = mapper.readTree(Files.readAllBytes(file));
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(file + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be a string, got " + v);
        }
        return v.textValue();
    }

    static String text(JsonNode node, String field, String fallback, String where) {
        return node.has(field) && !node.get(field).isNull() ? text(node, field, where) : fallback;
    }

    static double number(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be a finite number, got " + v);
        }
        return v.doubleValue();
    }

    static int integer(JsonNode node, String field, int fallback, String where) {
        return node.has(field) ? ArchitectureJson.integer(node, field, where) : fallback;
    }

    static boolean bool(JsonNode node, String field, boolean fallback, String where) {
        return node.has(field) ? ArchitectureJson.bool(node, field, where) : fallback;
    }
}
