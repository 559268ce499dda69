package dev.dormouse.runtime;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The classes a class file names: those its code uses (the constant pool's classes and member
 * descriptors) and the types of its own fields and methods. The JVM resolves these only when the code
 * first runs; reading them up front lets a room that cannot run be refused when it is loaded.
 */
final class ClassFileReferences {

  private static final int MAGIC = 0xCAFEBABE;

  private ClassFileReferences() {}

  /** Binary names ({@code a.b.C$D}), arrays reduced to their element class, primitives left out. */
  static Set<String> of(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != MAGIC) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    List<Integer> classNames = new ArrayList<>();
    List<Integer> descriptors = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNames.add(in.readUnsignedShort());
        case 12 -> {
          in.readUnsignedShort();
          descriptors.add(in.readUnsignedShort());
        }
        case 16 -> descriptors.add(in.readUnsignedShort());
        case 8, 19, 20 -> in.skipNBytes(2);
        case 15 -> in.skipNBytes(3);
        case 3, 4, 9, 10, 11, 17, 18 -> in.skipNBytes(4);
        case 5, 6 -> {
          in.skipNBytes(8);
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    in.skipNBytes(6);
    in.skipNBytes(2L * in.readUnsignedShort());
    for (int members = 0; members < 2; members++) {
      for (int n = in.readUnsignedShort(); n > 0; n--) {
        in.skipNBytes(4);
        descriptors.add(in.readUnsignedShort());
        for (int attributes = in.readUnsignedShort(); attributes > 0; attributes--) {
          in.skipNBytes(2);
          in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
        }
      }
    }
    Set<String> names = new LinkedHashSet<>();
    for (int index : classNames) {
      String name = utf8[index];
      if (name.startsWith("[")) {
        addDescriptorClasses(name, names);
      } else {
        names.add(name.replace('/', '.'));
      }
    }
    for (int index : descriptors) {
      addDescriptorClasses(utf8[index], names);
    }
    return names;
  }

  private static void addDescriptorClasses(String descriptor, Set<String> names) {
    for (int start = descriptor.indexOf('L'); start >= 0; start = descriptor.indexOf('L', start)) {
      int end = descriptor.indexOf(';', start);
      names.add(descriptor.substring(start + 1, end).replace('/', '.'));
      start = end;
    }
  }
}
