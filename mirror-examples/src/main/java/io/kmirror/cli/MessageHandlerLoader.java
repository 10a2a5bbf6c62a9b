package io.kmirror.cli;

import io.kmirror.RecordTransformer;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/**
 * Creates the {@code --message.handler} by class name, as MirrorMaker did: with a public constructor
 * taking one String when {@code --message.handler.args} is given, else with a public no-arg
 * constructor. The class must implement {@link RecordTransformer}.
 */
final class MessageHandlerLoader {

    private MessageHandlerLoader() {
    }

    /**
     * A new instance of {@code className}.
     *
     * @param args the constructor's String argument, or null for the no-arg constructor
     * @throws UsageException naming the class and what is wrong with it
     */
    static RecordTransformer load(String className, String args) throws UsageException {
        String where = "--message.handler " + className;
        Class<?> type;
        try {
            type = Class.forName(className, false, MessageHandlerLoader.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new UsageException(where + ": no such class on the class path. A handler of your own goes next to"
                    + " kmirror.jar: java -cp kmirror.jar:your-handler.jar io.kmirror.cli.KmirrorMain ...");
        }
        if (!RecordTransformer.class.isAssignableFrom(type)) {
            throw new UsageException(where + ": does not implement " + RecordTransformer.class.getName()
                    + ". kmirror's handlers get a ConsumerRecord<byte[], byte[]> and return the record to send or null to"
                    + " drop it (MirrorMaker's MirrorMakerMessageHandler classes need that small change)");
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new UsageException(where + ": is abstract; name a concrete class");
        }
        Constructor<?> constructor;
        try {
            constructor = args == null ? type.getConstructor() : type.getConstructor(String.class);
        } catch (NoSuchMethodException e) {
            throw new UsageException(where + (args == null
                    ? ": has no public no-arg constructor (with --message.handler.args a public constructor taking one String is used)"
                    : ": has no public constructor taking one String, which --message.handler.args needs"));
        }
        try {
            return (RecordTransformer) (args == null ? constructor.newInstance() : constructor.newInstance(args));
        } catch (InvocationTargetException e) {
            throw new UsageException(where + ": its constructor failed: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new UsageException(where + ": cannot be created: " + e);
        }
    }
}
