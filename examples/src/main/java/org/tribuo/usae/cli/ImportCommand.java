package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.data.OutputPaths;
import org.tribuo.usae.interop.DictionaryImport;
import org.tribuo.usae.interop.ImportFormat;
import org.tribuo.usae.interop.OfficialUsaeConfig;
import org.tribuo.usae.interop.SaeLensExport;
import org.tribuo.usae.model.ModelFiles;
import org.tribuo.usae.model.UsaeModel;
import org.tribuo.usae.sae.ModelParameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code usae import}: a dictionary trained by the official USAE code, SPARC, SAELens or sparsify, as a
 * {@code model.usae} every other command reads ({@link DictionaryImport} says how each format maps).
 */
final class ImportCommand implements Usae.Command {
    /** Options of {@code usae import}. */
    public static final class ImportOptions implements Options {
        @Option(longName = "from", usage = "The format: official-usae, sparc, saelens or sparsify.")
        public String from;
        @Option(longName = "config", usage = "official-usae: the official run's config.yaml (top_k, model_zoo's "
                + "checkpoint_path, model_mean and model_std).")
        public Path config;
        @Option(longName = "checkpoint", usage = "official-usae without --config: NAME=FILE.pth,... (one per model); "
                + "sparc: the state_dict file.")
        public List<String> checkpoint;
        @Option(longName = "folder", usage = "saelens: the folder of a usae export (holding usae.json), or "
                + "NAME=FOLDER,... of SAELens folders sharing one latent index; sparsify: NAME=FOLDER,...")
        public List<String> folder;
        @Option(charName = 'k', longName = "k", usage = "official-usae without --config, and sparc: the TopK k the "
                + "dictionary was trained with.")
        public int k = -1;
        @Option(longName = "standardization", usage = "NAME=MEAN:STD or NAME=none,... per model: the official "
                + "model_mean, model_std (official-usae without --config; optional for sparc).")
        public List<String> standardization;
        @Option(charName = 'o', longName = "output", usage = "The model file to write (a folder gets model.usae).")
        public Path output;
    }

    @Override
    public String summary() {
        return "import an official USAE, SPARC, SAELens or sparsify dictionary as a model.usae";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        ImportOptions opts = new ImportOptions();
        new ConfigurationManager(args, opts, false);
        if (opts.from == null) {
            throw new CliException("--from is required (official-usae, sparc, saelens or sparsify)");
        }
        ImportFormat format = ImportFormat.of(opts.from);
        if (opts.output == null) {
            throw new CliException("--output is required (the model.usae to write)");
        }
        Path file = Files.isDirectory(opts.output) ? opts.output.resolve("model.usae") : opts.output;
        OutputPaths.requireWritableFile("--output", file);
        UsaeModel model = switch (format) {
            case OFFICIAL_USAE -> {
                if (opts.config != null) {
                    requireAbsent(opts.checkpoint, "--checkpoint", "--config names the checkpoints");
                    requireAbsent(opts.standardization, "--standardization", "--config holds model_mean and model_std");
                    yield OfficialUsaeConfig.read(opts.config).load();
                }
                yield DictionaryImport.officialUsae(sources(required(opts.checkpoint, "--checkpoint or --config"),
                        "--checkpoint"), requiredK(opts.k), standardizations(opts.standardization));
            }
            case SPARC -> {
                List<String> c = required(opts.checkpoint, "--checkpoint");
                if (c.size() != 1) {
                    throw new CliException("--checkpoint takes one state_dict file for sparc, got " + c.size());
                }
                yield DictionaryImport.sparc(Path.of(c.get(0)), requiredK(opts.k), standardizations(opts.standardization));
            }
            case SAELENS -> {
                List<String> f = required(opts.folder, "--folder");
                if (f.size() == 1 && !f.get(0).contains("=")
                        && Files.isRegularFile(Path.of(f.get(0)).resolve(SaeLensExport.MANIFEST))) {
                    yield DictionaryImport.saeLensExport(Path.of(f.get(0)));
                }
                yield DictionaryImport.saeLens(sources(f, "--folder"));
            }
            case SPARSIFY -> DictionaryImport.sparsify(sources(required(opts.folder, "--folder"), "--folder"));
        };
        ModelFiles.save(model, file);
        out.println("Imported " + format.id() + " as " + file + ": " + model.parameters().architecture());
        for (ModelParameters p : model.parameters().models()) {
            out.println(String.format("  %-16s d = %d, mu = %.6g, sigma = %.6g", p.name(), p.dim(), p.mu(), p.sigma()));
        }
        out.println("Next: usae eval|analyze|report -m " + file + " -d <activations of the same models>");
    }

    private static List<String> required(List<String> value, String option) {
        if (value == null || value.isEmpty()) {
            throw new CliException(option + " is required for this format");
        }
        return value;
    }

    private static int requiredK(int k) {
        if (k < 1) {
            throw new CliException("--k is required for this format: the TopK k the dictionary was trained with");
        }
        return k;
    }

    private static void requireAbsent(List<String> value, String option, String why) {
        if (value != null) {
            throw new CliException(option + " cannot be given with --config: " + why);
        }
    }

    /** NAME=PATH,... ; a single PATH names its model after the file or folder. */
    static List<DictionaryImport.Source> sources(List<String> spec, String option) {
        List<DictionaryImport.Source> out = new ArrayList<>();
        for (String part : spec) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq == 0 || eq == p.length() - 1 || p.isEmpty()) {
                throw new CliException(option + ": '" + part + "' is not NAME=PATH");
            }
            Path path = Path.of(eq < 0 ? p : p.substring(eq + 1));
            String name = eq < 0 ? path.getFileName().toString().replaceFirst("\\.[A-Za-z]+$", "") : p.substring(0, eq);
            if (!Files.exists(path)) {
                throw new CliException(option + ": " + path + " does not exist");
            }
            out.add(new DictionaryImport.Source(name, path));
        }
        return out;
    }

    /** NAME=MEAN:STD or NAME=none, comma-separated. */
    static Map<String, DictionaryImport.Standardization> standardizations(List<String> spec) {
        Map<String, DictionaryImport.Standardization> out = new LinkedHashMap<>();
        if (spec == null) {
            return out;
        }
        for (String part : spec) {
            String p = part.strip();
            int eq = p.indexOf('=');
            String value = eq < 0 ? "" : p.substring(eq + 1).strip();
            try {
                if (eq <= 0) {
                    throw new NumberFormatException();
                }
                if (value.equals("none")) {
                    out.put(p.substring(0, eq), DictionaryImport.Standardization.NONE);
                } else {
                    String[] ms = value.split(":");
                    if (ms.length != 2) {
                        throw new NumberFormatException();
                    }
                    out.put(p.substring(0, eq), new DictionaryImport.Standardization(Double.parseDouble(ms[0]),
                            Double.parseDouble(ms[1])));
                }
            } catch (NumberFormatException e) {
                throw new CliException("--standardization: '" + part + "' is not NAME=MEAN:STD or NAME=none");
            }
        }
        return out;
    }
}
