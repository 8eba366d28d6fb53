package dev.recstage.content;

import java.util.ArrayList;
import java.util.List;

/**
 * Configuration as the environment would give it (SmallRye reads system properties the same way),
 * set by a test and cleared after it.
 */
final class SystemSettings {
    private final List<String> set = new ArrayList<>();

    void set(String property, String value) {
        System.setProperty(property, value);
        set.add(property);
    }

    void clear() {
        set.forEach(System::clearProperty);
        set.clear();
    }
}
