package org.mpcensus.udf.aggregate;

import java.io.IOException;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The Flink serializer of {@link AddressSet}: the IPv4 bitmap in Roaring's portable format, then
 * the IPv6 addresses as pairs of longs. Its snapshot restores it in any later version of mpcensus
 * that keeps this format.
 */
public final class AddressSetSerializer extends TypeSerializerSingleton<AddressSet> {
    private static final long serialVersionUID = 1L;

    public static final AddressSetSerializer INSTANCE = new AddressSetSerializer();

    /** The type of {@link AddressSet} in streams and state. */
    public static final TypeInformation<AddressSet> TYPE = new Type();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public AddressSet createInstance() {
        return new AddressSet();
    }

    @Override
    public AddressSet copy(AddressSet from) {
        return from.copy();
    }

    @Override
    public AddressSet copy(AddressSet from, AddressSet reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(AddressSet set, DataOutputView target) throws IOException {
        set.write(target);
    }

    @Override
    public AddressSet deserialize(DataInputView source) throws IOException {
        return AddressSet.read(source);
    }

    @Override
    public AddressSet deserialize(AddressSet reuse, DataInputView source) throws IOException {
        return AddressSet.read(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        AddressSet.read(source).write(target);
    }

    @Override
    public TypeSerializerSnapshot<AddressSet> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The snapshot of the serializer (it has no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<AddressSet> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Gives {@link AddressSet} its type wherever Flink extracts one. */
    public static final class TypeFactory extends TypeInfoFactory<AddressSet> {
        @Override
        public TypeInformation<AddressSet> createTypeInfo(
                java.lang.reflect.Type t, Map<String, TypeInformation<?>> genericParameters) {
            return TYPE;
        }
    }

    private static final class Type extends TypeInformation<AddressSet> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<AddressSet> getTypeClass() {
            return AddressSet.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<AddressSet> createSerializer(SerializerConfig config) {
            return INSTANCE;
        }

        @Override
        public String toString() {
            return "AddressSet";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Type;
        }

        @Override
        public int hashCode() {
            return "AddressSet".hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Type;
        }
    }
}
