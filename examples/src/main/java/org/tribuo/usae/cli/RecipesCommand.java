package org.tribuo.usae.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import org.tribuo.usae.train.Recipe;
import org.tribuo.usae.train.Recipes;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code usae recipes}: the built-in recipes with what each is for, read from the registry ({@link Recipes}); with
 * {@code --show NAME} (or a recipe file's path) the recipe's file, every option it sets, ready to copy.
 */
final class RecipesCommand implements Usae.Command {
    /** Options of {@code usae recipes}. */
    public static final class RecipesOptions implements Options {
        @Option(longName = "show", usage = "A recipe's name or file: print its file (every option it sets).")
        public String show;
    }

    @Override
    public String summary() {
        return "list the training recipes (or --show one's options)";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        RecipesOptions opts = new RecipesOptions();
        new ConfigurationManager(args, opts, false);
        if (opts.show != null) {
            Recipes.get(opts.show);
            out.print(Recipes.text(opts.show));
            return;
        }
        for (Recipe r : Recipes.all()) {
            out.println(String.format(Locale.ROOT, "%-12s %s%s", r.name().toLowerCase(Locale.ROOT), r.description(),
                    r.name().equals(Recipes.DEFAULT) ? " (default)" : ""));
        }
        out.println("\nA recipe file of your own (one org.tribuo.usae.train.Recipe component; copy one with --show) "
                + "goes wherever a recipe name does: usae train --recipe my-recipe.xml");
    }

}
