package org.tribuo.usae.train;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;

import java.util.Map;

/** Trainers configured as a config file would configure them, for tests. */
public final class ConfiguredTrainers {
    private ConfiguredTrainers() {
    }

    /** @param options trainer option -> value. @return the trainer, after OLCUT's postConfig. */
    public static UsaeTrainer of(Map<String, String> options) {
        ConfigurationManager cm = new ConfigurationManager();
        ConfigurationData cd = new ConfigurationData("trainer", UsaeTrainer.class.getName());
        options.forEach((k, v) -> cd.add(k, new SimpleProperty(v)));
        cm.addConfiguration(cd);
        return (UsaeTrainer) cm.lookup("trainer");
    }
}
