package com.domainautomation.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * What a feature's beans are made from: the settings, and the beans bound before it, found by their type. A feature
 * package exposes its beans through a {@code <Feature>Beans.bind(Wiring)}; {@link #bind} names each bean after its
 * class in lowerCamel case ({@code RenewalWorker} is {@code renewalWorker}), so a route's {@code ref:} names the class
 * to open.
 */
public final class Wiring {
    private final Main main;
    private final Settings settings;
    private final Map<Class<?>, Object> beans = new LinkedHashMap<>();

    Wiring(Main main, Settings settings) {
        this.main = main;
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Binds {@code bean} for the routes under its class's name, and keeps it for the features wired after. */
    public <T> T bind(T bean) {
        String name = bean.getClass().getSimpleName();
        return bind(Character.toLowerCase(name.charAt(0)) + name.substring(1), bean);
    }

    /** Binds a bean under a name Camel looks for (a component, an engine), and keeps it. */
    public <T> T bind(String name, T bean) {
        main.bind(name, bean);
        return keep(bean);
    }

    /** Keeps a bean the routes do not call, for the features wired after. */
    public <T> T keep(T bean) {
        beans.put(bean.getClass(), bean);
        return bean;
    }

    /** A bean kept or bound before; wiring a feature before one it needs is a programming error. */
    public <T> T get(Class<T> type) {
        Object bean = beans.get(type);
        if (bean == null) {
            bean = beans.values().stream().filter(type::isInstance).findFirst().orElse(null);
        }
        if (bean == null) {
            throw new IllegalStateException(type.getSimpleName() + " is not wired yet: wire its feature first");
        }
        return type.cast(bean);
    }
}
