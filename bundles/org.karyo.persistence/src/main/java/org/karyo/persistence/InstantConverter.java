package org.karyo.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import javax.persistence.AttributeConverter;
import javax.persistence.Converter;

/**
 * Maps {@link Instant} to {@code timestamptz} (EclipseLink 2.7 has no native {@code Instant} support). List it in the
 * module's {@code persistence.xml} and put {@code @Convert(converter = InstantConverter.class)} on each attribute.
 */
@Converter
public class InstantConverter implements AttributeConverter<Instant, Timestamp> {

    @Override
    public Timestamp convertToDatabaseColumn(Instant value) {
        return value == null ? null : Timestamp.from(value);
    }

    @Override
    public Instant convertToEntityAttribute(Timestamp value) {
        return value == null ? null : value.toInstant();
    }
}
