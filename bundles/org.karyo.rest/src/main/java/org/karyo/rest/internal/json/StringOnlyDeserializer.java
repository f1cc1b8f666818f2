package org.karyo.rest.internal.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import java.io.IOException;

/**
 * Makes a {@code java.time} type accept only JSON strings: the JSR-310 module would otherwise read numbers as epoch
 * values, a scalar coercion the platform does not allow.
 */
final class StringOnlyDeserializer extends DelegatingDeserializer {
    private static final long serialVersionUID = 1L;

    StringOnlyDeserializer(JsonDeserializer<?> delegate) {
        super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
        return new StringOnlyDeserializer(newDelegatee);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.hasToken(JsonToken.VALUE_STRING)) {
            return ctxt.handleUnexpectedToken(handledType(), p);
        }
        return _delegatee.deserialize(p, ctxt);
    }

    /** Wraps the deserializers of every {@code java.time} type. */
    static final class Modifier extends BeanDeserializerModifier {
        private static final long serialVersionUID = 1L;

        @Override
        public JsonDeserializer<?> modifyDeserializer(
                DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
            Class<?> type = description.getBeanClass();
            if (type.getPackageName().equals("java.time") && !(deserializer instanceof StringOnlyDeserializer)) {
                return new StringOnlyDeserializer(deserializer);
            }
            return deserializer;
        }
    }
}
