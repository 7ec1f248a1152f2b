package org.tribuo.usae.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The torch checkpoint reader on hand-made archives: strided tensors and plain values read right; hostile pickles
 * (code-running globals, other callables, malformed streams) and broken archives are refused with one line, and
 * nothing is executed.
 */
class TorchCheckpointTest {
    @TempDir
    Path tmp;

    /** A pickle writer for the few opcodes the tests need. */
    static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        Pickle op(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Pickle integer(int v) {
            op('J');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
            return this;
        }

        Pickle floating(double v) {
            op('G');
            out.writeBytes(ByteBuffer.allocate(8).putDouble(v).array());    // big-endian, as pickle writes it
            return this;
        }

        /** {@code _rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel), offset, size, stride, False, OrderedDict())}. */
        Pickle tensor(String storageType, String key, int numel, int offset, int[] size, int[] stride) {
            global("torch._utils", "_rebuild_tensor_v2").op('(');
            op('(').str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).op('t').op('Q');
            integer(offset).op('(');
            for (int s : size) {
                integer(s);
            }
            op('t').op('(');
            for (int s : stride) {
                integer(s);
            }
            op('t').op(0x89).global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private Path archive(String name, byte[] pickle, Map<String, byte[]> storages) throws Exception {
        Path f = tmp.resolve(name + ".pth");
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            for (Map.Entry<String, byte[]> e : storages.entrySet()) {
                zip.putNextEntry(new ZipEntry("archive/data/" + e.getKey()));
                zip.write(e.getValue());
            }
            zip.putNextEntry(new ZipEntry("archive/version"));
            zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return f;
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    @Test
    void readsPlainValuesAndStridedTensors() throws Exception {
        // {'w': storage [0..5] viewed as [3 x 2] with strides (1, 3) (a transpose), 'n': 7, 'lr': 0.25,
        //  'betas': (0.9, None, True), 'params': [1, 2]}
        Pickle p = new Pickle().op(0x80, 2).op('}').op('(').str("w")
                .tensor("FloatStorage", "0", 6, 0, new int[]{3, 2}, new int[]{1, 3})
                .str("n").integer(7).str("lr").floating(0.25)
                .str("betas").floating(0.9).op('N').op(0x88).op(0x87)
                .str("params").op(']').op('(').integer(1).integer(2).op('e')
                .op('u').op('.');
        Object root = TorchCheckpoint.read(archive("ok", p.bytes(), Map.of("0", floats(0, 1, 2, 3, 4, 5))));
        Map<?, ?> map = assertInstanceOf(LinkedHashMap.class, root);
        TorchTensor w = assertInstanceOf(TorchTensor.class, map.get("w"));
        assertArrayEquals(new long[]{3, 2}, w.shape());
        assertArrayEquals(new float[]{0, 3, 1, 4, 2, 5}, w.floats());
        assertEquals(7L, map.get("n"));
        assertEquals(0.25, map.get("lr"));
        assertEquals(new RestrictedUnpickler.PyTuple(java.util.Arrays.asList(0.9, null, true)), map.get("betas"));
        assertEquals(List.of(1L, 2L), map.get("params"));
        assertEquals(Map.of("w", w), TorchCheckpoint.stateDict(root, null, tmp));
    }

    @Test
    void hostilePicklesAreRefusedAndNothingRuns() throws Exception {
        Path marker = tmp.resolve("ran");
        // os.system("touch <marker>"): the classic pickle exploit
        Pickle exploit = new Pickle().op(0x80, 2).global("os", "system").str("touch " + marker).op(0x85).op('R').op('.');
        assertRefused(archive("exploit", exploit.bytes(), Map.of()), "names the global 'os.system'; only tensors, "
                + "storages and plain containers are read (nothing was executed)");
        assertTrue(Files.notExists(marker));
        Pickle stackGlobal = new Pickle().op(0x80, 4).op(0x8c, 8).op("builtins".getBytes(StandardCharsets.US_ASCII))
                .op(0x8c, 4).op("eval".getBytes(StandardCharsets.US_ASCII)).op(0x93).op('.');
        assertRefused(archive("eval", stackGlobal.bytes(), Map.of()), "names the global 'builtins.eval'");
        Pickle callStorage = new Pickle().op(0x80, 2).global("torch", "FloatStorage").op(')').op('R').op('.');
        assertRefused(archive("call", callStorage.bytes(), Map.of()), "calls 'torch.FloatStorage', which is not a tensor rebuild");
        Pickle inst = new Pickle().op(0x80, 2).op('i').op('.');
        assertRefused(archive("inst", inst.bytes(), Map.of()), "has opcode 0x69 ('i')");
        Pickle truncated = new Pickle().op(0x80, 2).op('X', 0xff, 0, 0, 0).op('a', 'b');
        assertRefused(archive("truncated", truncated.bytes(), Map.of()), "ends inside a value (255 bytes expected, 2 left)");
        Pickle noStop = new Pickle().op(0x80, 2).op(']');
        assertRefused(archive("nostop", noStop.bytes(), Map.of()), "ends without STOP");
        Pickle build = new Pickle().op(0x80, 2).op(']').op('}').op('b').op('.');
        assertRefused(archive("build", build.bytes(), Map.of()), "sets the state of a ArrayList (BUILD)");
        Pickle memo = new Pickle().op(0x80, 2).op('h', 5).op('.');
        assertRefused(archive("memo", memo.bytes(), Map.of()), "recalls memo entry 5, which was never stored");
        Pickle listKey = new Pickle().op(0x80, 2).op('}').op(']').integer(1).op('s').op('.');
        assertRefused(archive("key", listKey.bytes(), Map.of()), "uses a ArrayList as a dict key");
        Pickle proto = new Pickle().op(0x80, 9).op('.');
        assertRefused(archive("proto", proto.bytes(), Map.of()), "uses pickle protocol 9, expected at most 5");
    }

    @Test
    void brokenArchivesAreRefused() throws Exception {
        Pickle one = new Pickle().op(0x80, 2).tensor("FloatStorage", "0", 4, 0, new int[]{4}, new int[]{1}).op('.');
        assertRefused(archive("nostorage", one.bytes(), Map.of()), "storage '0' named by the pickle is not in the archive");
        assertRefused(archive("short", one.bytes(), Map.of("0", floats(1, 2))), "storage '0' holds 8 bytes, its pickle declares 4 x FLOAT = 16");
        assertRefused(archive("long", one.bytes(), Map.of("0", new byte[1000])), "zip entry 'archive/data/0' holds more than the 16 bytes expected");
        Pickle past = new Pickle().op(0x80, 2).tensor("FloatStorage", "0", 4, 2, new int[]{3}, new int[]{1}).op('.');
        assertRefused(archive("past", past.bytes(), Map.of("0", floats(1, 2, 3, 4))),
                "has a tensor of shape [3] at offset 2 that reaches past its storage of 4 elements");
        Pickle broadcast = new Pickle().op(0x80, 2).tensor("FloatStorage", "0", 1, 0, new int[]{1 << 30}, new int[]{0}).op('.');
        assertRefused(archive("broadcast", broadcast.bytes(), Map.of("0", floats(1))),
                "has a tensor of 1073741824 elements over a storage of 1; views larger than their storage are not read");
        Pickle huge = new Pickle().op(0x80, 2).tensor("FloatStorage", "0", 1 << 28, 0, new int[]{1}, new int[]{1}).op('.');
        assertRefused(archive("huge", huge.bytes(), Map.of("0", floats(1))),
                "its pickle declares more tensor data than a checkpoint of");
        Pickle badKey = new Pickle().op(0x80, 2).tensor("FloatStorage", "../x", 1, 0, new int[]{1}, new int[]{1}).op('.');
        assertRefused(archive("badkey", badKey.bytes(), Map.of()), "has a storage key '../x' or size 1 that is not valid");
        Path text = Files.writeString(tmp.resolve("legacy.pth"), "not a zip");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchCheckpoint.read(text));
        assertTrue(e.getMessage().contains("is not a torch zip checkpoint (it does not start with 'PK')"), e.getMessage());
        Path empty = tmp.resolve("empty.pth");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(empty))) {
            zip.putNextEntry(new ZipEntry("a/b/data.pkl"));
            zip.write(1);
        }
        e = assertThrows(IllegalArgumentException.class, () -> TorchCheckpoint.read(empty));
        assertTrue(e.getMessage().endsWith("expected one <name>/data.pkl, found 0"), e.getMessage());
    }

    private static void assertRefused(Path file, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    }
}
