package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;

import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of recipes, which the trainer, the CLI's help and flags, the demo and the benchmarks read. A built-in
 * recipe is one configuration file in this package's {@code recipes/} resource folder, named after the recipe in
 * lower case, plus its name in {@link #BUILT_IN}; a user's recipe is the path of a file of the same form (one
 * {@link Recipe} component), passed wherever a recipe name is.
 */
public final class Recipes {
    /** The recipe an unset trainer takes. */
    public static final String DEFAULT = "ALIGNED";
    /** The built-in recipes, in the order help and benchmarks list them: the one place that lists them. */
    private static final List<String> BUILT_IN = List.of("ALIGNED", "FAITHFUL", "SPARC", "FAST", "AFFINE_FAST", "BATCH_TOPK",
            "MATRYOSHKA");
    private static final String FOLDER = "recipes/";
    private static final Map<String, Recipe> LOADED = new ConcurrentHashMap<>();

    private Recipes() {
    }

    /** @return the built-in recipes' names, the default first. */
    public static List<String> names() {
        return BUILT_IN;
    }

    /** @return the built-in recipes, the default first. */
    public static List<Recipe> all() {
        return BUILT_IN.stream().map(Recipes::get).toList();
    }

    /**
     * @param name a name or path.
     * @return the built-in recipe's canonical name (upper case) when {@code name} names one in any case, else empty.
     */
    public static java.util.Optional<String> builtIn(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return BUILT_IN.contains(upper) ? java.util.Optional.of(upper) : java.util.Optional.empty();
    }

    /**
     * @param nameOrFile a built-in recipe's name (any case) or the path of a recipe file.
     * @return the recipe.
     * @throws IllegalArgumentException in one line, when it is neither, or the file is not a recipe.
     */
    public static Recipe get(String nameOrFile) {
        java.util.Optional<String> name = builtIn(nameOrFile);
        if (name.isPresent()) {
            return LOADED.computeIfAbsent(name.get(), n -> {
                URL url = Recipes.class.getResource(FOLDER + n.toLowerCase(Locale.ROOT) + ".xml");
                if (url == null) {
                    throw new IllegalStateException("the built-in recipe " + n + " has no file " + FOLDER
                            + n.toLowerCase(Locale.ROOT) + ".xml next to " + Recipes.class.getName());
                }
                Recipe r = load(url, n.toLowerCase(Locale.ROOT) + ".xml");
                if (!r.name().equals(n)) {
                    throw new IllegalStateException("the built-in recipe file " + n.toLowerCase(Locale.ROOT)
                            + ".xml names itself " + r.name() + ", expected " + n);
                }
                return r;
            });
        }
        Path file = Path.of(nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("recipe '" + nameOrFile + "' is neither a built-in recipe ("
                    + String.join(", ", BUILT_IN) + ", any case) nor a recipe file");
        }
        try {
            return load(file.toUri().toURL(), file.toString());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("recipe file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param nameOrFile a built-in recipe's name (any case) or the path of a recipe file.
     * @return the recipe file's text (OLCUT XML).
     * @throws IllegalArgumentException in one line, when it is neither.
     */
    public static String text(String nameOrFile) {
        java.util.Optional<String> name = builtIn(nameOrFile);
        try {
            if (name.isPresent()) {
                try (java.io.InputStream in = Recipes.class.getResourceAsStream(FOLDER + name.get().toLowerCase(Locale.ROOT)
                        + ".xml")) {
                    return new String(java.util.Objects.requireNonNull(in, name.get()).readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            return Files.readString(Path.of(nameOrFile));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("recipe '" + nameOrFile + "': cannot read it: " + e.getMessage(), e);
        }
    }

    /** @return the recipe held by the OLCUT file at {@code url}, which must hold exactly one. */
    private static Recipe load(URL url, String origin) {
        List<Recipe> found;
        try {
            found = new ConfigurationManager(url).lookupAll(Recipe.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("recipe file " + origin + ": " + e.getMessage(), e);
        }
        if (found.size() != 1) {
            throw new IllegalArgumentException("recipe file " + origin + ": expected one component of type "
                    + Recipe.class.getName() + ", found " + found.size());
        }
        return found.get(0);
    }
}
