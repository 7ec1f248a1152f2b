package org.tribuo.usae.onnx.tfjs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The part of a model the taps depend on, stopping at the input: graph nodes or Keras layers in an order where
 * every one comes after its inputs. Whatever feeds the input (such as COCO-SSD's TensorArray resize loop) is never
 * visited, so it may hold any op. Iterative, so a hostile, very deep graph cannot overflow the stack.
 */
final class Subgraph {
    private Subgraph() {
    }

    /**
     * @param file the model file, for errors.
     * @param taps the names to reach.
     * @param input the input's name (not included, not looked past).
     * @param inputsOf a name's data inputs (names); null when no such node or layer exists.
     * @return the names the taps depend on (taps included), inputs first.
     */
    static List<String> order(String file, List<String> taps, String input, Function<String, List<String>> inputsOf) {
        List<String> out = new ArrayList<>();
        Set<String> done = new HashSet<>(Set.of(input));
        Set<String> onPath = new HashSet<>();
        Deque<Object[]> stack = new ArrayDeque<>(); // {name, Boolean: its inputs are already done}
        for (String t : taps) {
            stack.push(new Object[]{t, false, null});
            while (!stack.isEmpty()) {
                Object[] top = stack.pop();
                String name = (String) top[0];
                if ((Boolean) top[1]) {
                    onPath.remove(name);
                    done.add(name);
                    out.add(name);
                    continue;
                }
                if (done.contains(name)) {
                    continue;
                }
                if (onPath.contains(name)) {
                    throw new TfjsFormatException(file + ": the graph has a cycle through '" + name + "'");
                }
                List<String> inputs = inputsOf.apply(name);
                if (inputs == null) {
                    throw new TfjsFormatException(file + ": '" + top[2] + "' reads the missing node or layer '"
                            + name + "'");
                }
                onPath.add(name);
                stack.push(new Object[]{name, true, null});
                for (String in : inputs) {
                    if (!done.contains(in)) {
                        if (onPath.contains(in)) {
                            throw new TfjsFormatException(file + ": the graph has a cycle through '" + in + "'");
                        }
                        stack.push(new Object[]{in, false, name});
                    }
                }
            }
        }
        return out;
    }
}
