package io.kmirror.it;

import io.kmirror.ClientFactories.AdminFactory;
import io.kmirror.ClientFactories.ConsumerFactory;
import io.kmirror.ClientFactories.ProducerFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Fault injection through the mirror's public client factories: real Kafka clients, wrapped so that a
 * test decides, call by call, whether a method runs or fails.
 */
final class Faults {

    private Faults() {
    }

    /** Decides what one call does: {@code call.proceed()} runs the real method; throwing fails the call. */
    @FunctionalInterface
    interface Around {
        Object call(Invocation call) throws Throwable;
    }

    /** One call of a wrapped client. */
    record Invocation(Object target, Map<String, Object> config, Method method, Object[] args) {
        /** Whether this is a call of the method named {@code name}. */
        boolean is(String name) {
            return method.getName().equals(name);
        }

        /** The argument at {@code index}. */
        Object arg(int index) {
            return args[index];
        }

        /** Runs the real method. */
        Object proceed() throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** Real producers, every call going through {@code around}. */
    static ProducerFactory producers(Around around) {
        return config -> wrap(Producer.class, ProducerFactory.kafka().create(config), config, around);
    }

    /** Real consumers, every call going through {@code around}. */
    static ConsumerFactory consumers(Around around) {
        return config -> wrap(Consumer.class, ConsumerFactory.kafka().create(config), config, around);
    }

    /** Real admin clients, every call going through {@code around}. */
    static AdminFactory admins(Around around) {
        return config -> wrap(Admin.class, AdminFactory.kafka().create(config), config, around);
    }

    @SuppressWarnings("unchecked")
    private static <T> T wrap(Class<T> type, T target, Map<String, Object> config, Around around) {
        return (T) Proxy.newProxyInstance(Faults.class.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals") ? proxy == args[0] : method.invoke(target, args);
            }
            return around.call(new Invocation(target, config, method, args));
        });
    }
}
