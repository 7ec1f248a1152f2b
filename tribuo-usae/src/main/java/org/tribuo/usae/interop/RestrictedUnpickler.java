package org.tribuo.usae.interop;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the pickle of a torch checkpoint ({@code data.pkl} in the zip {@code torch.save} writes) without executing
 * anything. It knows the opcodes of protocols 2 to 5 that plain data uses (containers, numbers, strings, memo,
 * marks) and only these callables: {@code collections.OrderedDict} with no arguments, and torch's
 * {@code _utils._rebuild_tensor_v2} and {@code _utils._rebuild_parameter}, which become {@link TorchTensor}s. Any
 * other global (the way a hostile pickle runs code: {@code os.system}, {@code builtins.eval}, ...), any other
 * callable or object construction, and any malformed stream is refused with one line naming the checkpoint, the
 * byte offset and what was found.
 *
 * <p>Python values map to: dict to {@link LinkedHashMap}, list to {@link ArrayList}, tuple to {@link PyTuple},
 * str to {@link String}, int to {@link Long}, float to {@link Double}, bool to {@link Boolean}, None to null, bytes
 * to {@code byte[]}.
 */
final class RestrictedUnpickler {
    /** A Python tuple. @param items its items (unmodifiable). */
    record PyTuple(List<Object> items) {
    }

    /** Reads a storage's elements: float[] for floating types, long[] for the others. */
    interface StorageLoader {
        Object load(TorchDType dtype, String key, long numel);
    }

    private record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    private record Storage(TorchDType dtype, String key, long numel, Object data) {
    }

    private static final Object MARK = new Object();
    private static final int MAX_STACK = 1 << 20;
    private static final Set<Global> CALLABLES = Set.of(new Global("collections", "OrderedDict"),
            new Global("torch._utils", "_rebuild_tensor_v2"), new Global("torch._utils", "_rebuild_parameter"));

    private final ByteBuffer in;
    private final String where;
    private final StorageLoader loader;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, Storage> storages = new HashMap<>();
    private int opStart;

    RestrictedUnpickler(byte[] pickle, String where, StorageLoader loader) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.where = where;
        this.loader = loader;
    }

    Object load() {
        while (true) {
            if (!in.hasRemaining()) {
                throw bad("ends without STOP");
            }
            opStart = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> {                      // PROTO
                    int proto = u8();
                    if (proto > 5) {
                        throw bad("uses pickle protocol " + proto + ", expected at most 5");
                    }
                }
                case 0x95 -> skip(8);               // FRAME: a length hint only
                case '.' -> {                       // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw bad("stops with " + stack.size() + " values on the stack, expected 1");
                    }
                    return stack.get(0);
                }
                case '(' -> {
                    marks.add(stack.size());
                    push(MARK);
                }
                case '}' -> push(new LinkedHashMap<>());
                case ']' -> push(new ArrayList<>());
                case ')' -> push(new PyTuple(List.of()));
                case 't' -> push(new PyTuple(popMark()));
                case 0x85 -> push(tuple(1));
                case 0x86 -> push(tuple(2));
                case 0x87 -> push(tuple(3));
                case 'l' -> push(new ArrayList<>(popMark()));
                case 'd' -> {
                    List<Object> items = popMark();
                    Map<Object, Object> map = new LinkedHashMap<>();
                    putAll(map, items);
                    push(map);
                }
                case 'a' -> {
                    Object v = pop();
                    list(peek()).add(v);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    putAll(dict(peek()), java.util.Arrays.asList(k, v));
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    putAll(dict(peek()), items);
                }
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) in.getInt(position(4)));
                case 'K' -> push((long) u8());
                case 'M' -> push((long) (in.getShort(position(2)) & 0xffff));
                case 0x8a -> push(long1());
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong(position(8)))));   // big-endian
                case 'X' -> push(utf8(u32()));
                case 0x8c -> push(utf8(u8()));
                case 0x8d -> push(utf8(u64()));
                case 'T' -> push(latin1(u32()));
                case 'U' -> push(latin1(u8()));
                case 'B' -> push(bytes(u32()));
                case 'C' -> push(bytes(u8()));
                case 'q' -> memo((long) u8());
                case 'r' -> memo(u32());
                case 0x94 -> memo((long) memo.size());
                case 'h' -> push(recall(u8()));
                case 'j' -> push(recall(u32()));
                case '0' -> pop();
                case '1' -> popMark();
                case '2' -> push(peek());
                case 'c' -> push(global(line(), line()));
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw bad("has STACK_GLOBAL without two strings");
                    }
                    push(global(m, n));
                }
                case 'R' -> {
                    Object args = pop();
                    Object callable = pop();
                    push(reduce(callable, args));
                }
                case 'b' -> {
                    pop();                          // OrderedDict's state: a state_dict's _metadata, not needed
                    if (!(peek() instanceof LinkedHashMap<?, ?>)) {
                        throw bad("sets the state of " + describe(peek()) + " (BUILD), which only an OrderedDict may have");
                    }
                }
                case 'Q' -> push(persistent(pop()));
                default -> throw bad("has opcode 0x" + Integer.toHexString(op) + " ('" + (char) op
                        + "'), which a checkpoint of tensors and plain containers does not use");
            }
        }
    }

    private Object global(String module, String name) {
        Global g = new Global(module, name);
        if (CALLABLES.contains(g) || (module.equals("torch") && TorchDType.ofStorage(name) != null)) {
            return g;
        }
        throw bad("names the global '" + g + "'; only tensors, storages and plain containers are read (nothing was "
                + "executed)");
    }

    private Object reduce(Object callable, Object args) {
        if (!(callable instanceof Global g) || !CALLABLES.contains(g)) {
            throw bad("calls " + describe(callable) + ", which is not a tensor rebuild or OrderedDict");
        }
        if (!(args instanceof PyTuple t)) {
            throw bad("calls " + g + " with " + describe(args) + " instead of a tuple");
        }
        List<Object> a = t.items();
        switch (g.name()) {
            case "OrderedDict" -> {
                if (!a.isEmpty()) {
                    throw bad("calls OrderedDict with arguments");
                }
                return new LinkedHashMap<>();
            }
            case "_rebuild_parameter" -> {
                if (a.size() != 3 || !(a.get(0) instanceof TorchTensor tensor)) {
                    throw bad("calls _rebuild_parameter without (tensor, requires_grad, hooks)");
                }
                return tensor;
            }
            default -> {
                if ((a.size() != 6 && a.size() != 7) || !(a.get(0) instanceof Storage s) || !(a.get(1) instanceof Long offset)
                        || !(a.get(2) instanceof PyTuple size) || !(a.get(3) instanceof PyTuple stride)) {
                    throw bad("calls _rebuild_tensor_v2 without (storage, offset, size, stride, requires_grad, hooks)");
                }
                return tensor(s, offset, longs(size, "size"), longs(stride, "stride"));
            }
        }
    }

    private TorchTensor tensor(Storage s, long offset, long[] size, long[] stride) {
        if (size.length != stride.length) {
            throw bad("has a tensor whose size " + java.util.Arrays.toString(size) + " and stride "
                    + java.util.Arrays.toString(stride) + " differ in rank");
        }
        long numel = 1;
        long last = offset;
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 0 || stride[i] < 0) {
                throw bad("has a tensor with a negative size or stride");
            }
            numel = Math.multiplyExact(numel, size[i]);
            if (size[i] > 0) {
                last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
            }
        }
        if (offset < 0 || (numel > 0 && last >= s.numel())) {
            throw bad("has a tensor of shape " + java.util.Arrays.toString(size) + " at offset " + offset
                    + " that reaches past its storage of " + s.numel() + " elements");
        }
        if (numel > s.numel()) {
            // a broadcast view (stride 0) would make a tiny storage allocate without bound; state_dicts never hold one
            throw bad("has a tensor of " + numel + " elements over a storage of " + s.numel() + "; views larger than "
                    + "their storage are not read");
        }
        int n = (int) numel;
        int[] index = new int[size.length];
        float[] floats = s.dtype().floating() ? new float[n] : null;
        long[] longs = s.dtype().floating() ? null : new long[n];
        for (int q = 0; q < n; q++) {
            long src = offset;
            for (int i = 0; i < size.length; i++) {
                src += index[i] * stride[i];
            }
            if (floats != null) {
                floats[q] = ((float[]) s.data())[(int) src];
            } else {
                longs[q] = ((long[]) s.data())[(int) src];
            }
            for (int i = size.length - 1; i >= 0; i--) {
                if (++index[i] < size[i]) {
                    break;
                }
                index[i] = 0;
            }
        }
        return new TorchTensor(s.dtype(), size, floats, longs);
    }

    private Storage persistent(Object pid) {
        if (!(pid instanceof PyTuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))
                || !(t.items().get(1) instanceof Global g) || !(t.items().get(2) instanceof String key)
                || !(t.items().get(4) instanceof Long numel)) {
            throw bad("has a persistent id " + describe(pid) + ", expected ('storage', type, key, location, numel)");
        }
        TorchDType dtype = g.module().equals("torch") ? TorchDType.ofStorage(g.name()) : null;
        if (dtype == null) {
            throw bad("has a storage of type " + g + ", expected a torch storage type");
        }
        if (!key.matches("[A-Za-z0-9_]{1,64}") || numel < 0) {
            throw bad("has a storage key '" + key + "' or size " + numel + " that is not valid");
        }
        Storage known = storages.get(key);
        if (known != null) {
            if (known.dtype() != dtype || known.numel() != numel) {
                throw bad("names storage '" + key + "' twice with different types or sizes");
            }
            return known;
        }
        Storage s = new Storage(dtype, key, numel, loader.load(dtype, key, numel));
        storages.put(key, s);
        return s;
    }

    private long[] longs(PyTuple t, String what) {
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.items().get(i) instanceof Long v)) {
                throw bad("has a tensor " + what + " that is not a tuple of integers");
            }
            out[i] = v;
        }
        return out;
    }

    private void putAll(Map<Object, Object> map, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw bad("sets dict items from an odd number of values");
        }
        for (int i = 0; i < items.size(); i += 2) {
            Object k = items.get(i);
            if (!(k == null || k instanceof String || k instanceof Long || k instanceof Double || k instanceof Boolean
                    || k instanceof PyTuple)) {
                throw bad("uses " + describe(k) + " as a dict key");
            }
            map.put(k, items.get(i + 1));
        }
    }

    private PyTuple tuple(int n) {
        if (stack.size() < n) {
            throw bad("builds a tuple from an empty stack");
        }
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        for (int i = 0; i < n; i++) {
            pop();
        }
        return new PyTuple(Collections.unmodifiableList(items));
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw bad("pops to a MARK that was never set");
        }
        int at = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(at + 1, stack.size()));
        while (stack.size() > at) {
            stack.remove(stack.size() - 1);
        }
        return Collections.unmodifiableList(items);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (!(o instanceof ArrayList<?>)) {
            throw bad("appends to " + describe(o) + ", not a list");
        }
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (!(o instanceof LinkedHashMap<?, ?>)) {
            throw bad("sets an item of " + describe(o) + ", not a dict");
        }
        return (Map<Object, Object>) o;
    }

    private void push(Object o) {
        if (stack.size() >= MAX_STACK) {
            throw bad("holds more than " + MAX_STACK + " values on its stack");
        }
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw bad("pops an empty stack");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw bad("reads an empty stack");
        }
        return stack.get(stack.size() - 1);
    }

    private void memo(long index) {
        if (memo.size() >= MAX_STACK) {
            throw bad("memoises more than " + MAX_STACK + " values");
        }
        memo.put(index, peek());
    }

    private Object recall(long index) {
        if (!memo.containsKey(index)) {
            throw bad("recalls memo entry " + index + ", which was never stored");
        }
        return memo.get(index);
    }

    private int u8() {
        return in.get(position(1)) & 0xff;
    }

    private long u32() {
        return in.getInt(position(4)) & 0xffffffffL;
    }

    private long u64() {
        long v = in.getLong(position(8));
        if (v < 0) {
            throw bad("has a length of 2^63 or more");
        }
        return v;
    }

    private Long long1() {
        int n = u8();
        if (n > 8) {
            throw bad("has an integer of " + n + " bytes, more than 8");
        }
        int at = position(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (in.get(at + i) & 0xff);
        }
        if (n > 0 && n < 8 && (in.get(at + n - 1) & 0x80) != 0) {
            v -= 1L << (8 * n);          // two's complement of n bytes
        }
        return v;
    }

    /** @return the current position, after checking n more bytes exist, and moves past them. */
    private int position(long n) {
        if (n > in.remaining()) {
            throw bad("ends inside a value (" + n + " bytes expected, " + in.remaining() + " left)");
        }
        int at = in.position();
        in.position(at + (int) n);
        return at;
    }

    private void skip(long n) {
        position(n);
    }

    private String utf8(long n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private String latin1(long n) {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    private byte[] bytes(long n) {
        int at = position(n);
        byte[] b = new byte[(int) n];
        in.get(at, b);
        return b;
    }

    private String line() {
        int start = in.position();
        int end = start;
        while (end < in.limit() && in.get(end) != '\n') {
            end++;
            if (end - start > 256) {
                throw bad("has a GLOBAL name longer than 256 bytes");
            }
        }
        if (end >= in.limit()) {
            throw bad("ends inside a GLOBAL name");
        }
        byte[] b = new byte[end - start];
        in.get(start, b);
        in.position(end + 1);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Global g) {
            return "'" + g + "'";
        }
        return "a " + o.getClass().getSimpleName();
    }

    private IllegalArgumentException bad(String what) {
        return new IllegalArgumentException(where + " is not a checkpoint this reader accepts: its pickle, at byte "
                + opStart + ", " + what);
    }
}
