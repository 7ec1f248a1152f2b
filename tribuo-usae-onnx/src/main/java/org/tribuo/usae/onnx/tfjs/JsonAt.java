package org.tribuo.usae.onnx.tfjs;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One place in a model file's JSON tree, with type-checked accessors: every read names the file and the
 * field path ({@code model.json: modelTopology.node[12].attr.strides}) when the value is missing or of the
 * wrong type, so hostile or damaged files fail with a one-line message instead of a NullPointerException.
 *
 * @param file the file name shown in errors.
 * @param path the field path from the file's root.
 * @param node the value there (never null; a missing field is reported when asked for).
 */
record JsonAt(String file, String path, JsonNode node) {
    /** No list in a model file is anywhere near this long; bounds memory on hostile input. */
    static final int MAX_ARRAY = 10_000_000;

    /** @param file the file. @param root its parsed content. @return the root place. */
    static JsonAt root(String file, JsonNode root) {
        return new JsonAt(file, "", root);
    }

    /** @param what what is wrong. @return an exception naming the file and this field. */
    TfjsFormatException error(String what) {
        return new TfjsFormatException(file + ": " + (path.isEmpty() ? "(root)" : path) + ": " + what);
    }

    private String child(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** @return whether this is an object holding a non-null {@code name}. */
    boolean has(String name) {
        return node.isObject() && node.has(name) && !node.get(name).isNull();
    }

    /** @param name a field of this object. @return it. @throws TfjsFormatException when missing or null. */
    JsonAt field(String name) {
        object();
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new TfjsFormatException(file + ": " + child(name) + ": missing");
        }
        return new JsonAt(file, child(name), v);
    }

    /** @param name a field of this object. @return it, or null when absent or null. */
    JsonAt optional(String name) {
        return has(name) ? new JsonAt(file, child(name), node.get(name)) : null;
    }

    /** @return this, checked to be an object. */
    JsonAt object() {
        if (!node.isObject()) {
            throw error("expected an object, found " + kind());
        }
        return this;
    }

    /** @return the elements of this array. */
    List<JsonAt> elements() {
        if (!node.isArray()) {
            throw error("expected an array, found " + kind());
        }
        if (node.size() > MAX_ARRAY) {
            throw error("array of " + node.size() + " elements is too long");
        }
        List<JsonAt> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new JsonAt(file, path + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    /** @return this string. */
    String text() {
        if (!node.isTextual()) {
            throw error("expected a string, found " + kind());
        }
        return node.textValue();
    }

    /** @return this boolean. */
    boolean bool() {
        if (!node.isBoolean()) {
            throw error("expected true or false, found " + kind());
        }
        return node.booleanValue();
    }

    /** @return this finite number. */
    double number() {
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw error("expected a finite number, found " + kind());
        }
        return node.doubleValue();
    }

    /**
     * @return this integer; a number with no fraction, or a decimal string (protobuf's JSON form of int64, which
     * TF GraphDef attributes use).
     */
    long integer() {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber() && node.doubleValue() == Math.rint(node.doubleValue())
                && Math.abs(node.doubleValue()) < 1e15) {
            return (long) node.doubleValue();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.textValue());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw error("expected an integer, found " + kind());
    }

    /** @param min smallest allowed. @param max largest allowed. @return this integer, range-checked. */
    int integer(long min, long max) {
        long v = integer();
        if (v < min || v > max) {
            throw error("value " + v + " is outside [" + min + ", " + max + "]");
        }
        return (int) v;
    }

    /** @return this array of integers. */
    long[] integers() {
        List<JsonAt> e = elements();
        long[] out = new long[e.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = e.get(i).integer();
        }
        return out;
    }

    private String kind() {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            String t = node.textValue();
            return "the string \"" + (t.length() > 30 ? t.substring(0, 30) + "..." : t) + "\"";
        }
        return node.isNull() ? "null" : node.toString();
    }
}
