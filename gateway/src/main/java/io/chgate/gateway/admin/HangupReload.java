package io.chgate.gateway.admin;

import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration on SIGHUP, as chproxy and most servers do. The JDK handles signals only through
 * {@code sun.misc.Signal} (module jdk.unsupported); it is reached by reflection so that the build stays free of
 * internal-API warnings, and where it is missing chgate says so and keeps POST /reload.
 */
public final class HangupReload {
    private static final Logger log = LoggerFactory.getLogger(HangupReload.class);

    private HangupReload() {
    }

    /** Installs the handler; false when this JVM offers no way to catch SIGHUP. */
    public static boolean install(Reloader reloader) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(HangupReload.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            // Off the signal thread: a reload fetches credentials and may take seconds.
                            Thread reload = new Thread(() -> report(reloader.reload()), "chgate-reload");
                            reload.setDaemon(true);
                            reload.start();
                        }
                        return null;
                    });
            Object hup = signalClass.getConstructor(String.class).newInstance("HUP");
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, hup, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("cannot reload on SIGHUP in this JVM ({}); use POST /reload on the admin listener",
                    e.getClass().getSimpleName());
            return false;
        }
    }

    private static void report(Reloader.Result result) {
        if (result.applied()) {
            log.info("SIGHUP: configuration reloaded{}", result.needRestart().isEmpty() ? ""
                    : "; a restart is needed to change " + String.join(", ", result.needRestart()));
        } else {
            log.warn("SIGHUP: configuration not applied, the running one keeps serving: {}", result.problems());
        }
    }
}
