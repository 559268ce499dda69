package dev.dormouse.link.wire;

import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RequestSource;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The field encodings frames are made of: unsigned LEB128 varints, strings as a varint byte count and
 * UTF-8, and the structured values of a connect request. Readers check every count against the bytes
 * left, so a lying peer cannot make us allocate more than it sent.
 */
final class WireFields {

  /** Deeper claim values than this are refused: nothing legitimate nests so far, and recursion is bounded. */
  private static final int MAX_VALUE_DEPTH = 32;

  private static final int NULL = 0;
  private static final int STRING = 1;
  private static final int INT = 2;
  private static final int LONG = 3;
  private static final int DOUBLE = 4;
  private static final int TRUE = 5;
  private static final int FALSE = 6;
  private static final int BIG_INTEGER = 7;
  private static final int BIG_DECIMAL = 8;
  private static final int LIST = 9;
  private static final int MAP = 10;

  private WireFields() {}

  static void writeVarLong(ByteBuf out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  static long readVarLong(ByteBuf in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.readByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new FrameFormatException("varint longer than 10 bytes");
  }

  static void writeVarInt(ByteBuf out, int value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative value " + value + " for an unsigned field");
    }
    writeVarLong(out, value);
  }

  static int readVarInt(ByteBuf in) {
    long value = readVarLong(in);
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw new FrameFormatException(
          "field value " + Long.toUnsignedString(value) + " out of range");
    }
    return (int) value;
  }

  /** A count of things each at least one byte long, checked against what is left of the frame. */
  static int readCount(ByteBuf in) {
    int count = readVarInt(in);
    if (count > in.readableBytes()) {
      throw new FrameFormatException("a field of " + count + " runs past the end of the frame");
    }
    return count;
  }

  static void writeString(ByteBuf out, String value) {
    writeVarInt(out, ByteBufUtil.utf8Bytes(value));
    ByteBufUtil.writeUtf8(out, value);
  }

  static String readString(ByteBuf in) {
    int length = readCount(in);
    String value = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
    in.skipBytes(length);
    return value;
  }

  static void writeBytes(ByteBuf out, byte[] value) {
    writeVarInt(out, value.length);
    out.writeBytes(value);
  }

  static byte[] readBytes(ByteBuf in) {
    byte[] value = new byte[readCount(in)];
    in.readBytes(value);
    return value;
  }

  static void writeKey(ByteBuf out, RoomKey key) {
    writeString(out, key.namespace());
    writeString(out, key.room());
    writeString(out, key.instance());
  }

  static RoomKey readKey(ByteBuf in) {
    return new RoomKey(readString(in), readString(in), readString(in));
  }

  static void writeStrings(ByteBuf out, Collection<String> values) {
    writeVarInt(out, values.size());
    for (String value : values) {
      writeString(out, value);
    }
  }

  static List<String> readStrings(ByteBuf in) {
    int count = readCount(in);
    List<String> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(readString(in));
    }
    return values;
  }

  /** Headers and query parameters. */
  static void writeMultiMap(ByteBuf out, Map<String, List<String>> map) {
    writeVarInt(out, map.size());
    map.forEach(
        (name, values) -> {
          writeString(out, name);
          writeStrings(out, values);
        });
  }

  static Map<String, List<String>> readMultiMap(ByteBuf in) {
    int count = readCount(in);
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      map.put(readString(in), readStrings(in));
    }
    return map;
  }

  static void writeOptionalString(ByteBuf out, Optional<String> value) {
    out.writeBoolean(value.isPresent());
    value.ifPresent(text -> writeString(out, text));
  }

  static Optional<String> readOptionalString(ByteBuf in) {
    return in.readBoolean() ? Optional.of(readString(in)) : Optional.empty();
  }

  static void writePair(ByteBuf out, Optional<AutoResponsePair> pair) {
    out.writeBoolean(pair.isPresent());
    pair.ifPresent(
        p -> {
          writeString(out, p.request());
          writeString(out, p.response());
        });
  }

  static Optional<AutoResponsePair> readPair(ByteBuf in) {
    if (!in.readBoolean()) {
      return Optional.empty();
    }
    String request = readString(in);
    String response = readString(in);
    try {
      return Optional.of(new AutoResponsePair(request, response));
    } catch (IllegalArgumentException e) {
      throw new FrameFormatException("invalid auto-response pair: " + e.getMessage());
    }
  }

  /**
   * A token claim: the JSON-shaped values a verified token yields, keeping their Java types so a room
   * sees the same claims as it would in the gateway's process. Anything else travels as its string.
   */
  static void writeValue(ByteBuf out, Object value) {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof String text) {
      out.writeByte(STRING);
      writeString(out, text);
    } else if (value instanceof Integer number) {
      out.writeByte(INT);
      out.writeInt(number);
    } else if (value instanceof Long number) {
      out.writeByte(LONG);
      out.writeLong(number);
    } else if (value instanceof Double || value instanceof Float) {
      out.writeByte(DOUBLE);
      out.writeDouble(((Number) value).doubleValue());
    } else if (value instanceof Boolean flag) {
      out.writeByte(flag ? TRUE : FALSE);
    } else if (value instanceof BigInteger number) {
      out.writeByte(BIG_INTEGER);
      writeString(out, number.toString());
    } else if (value instanceof BigDecimal number) {
      out.writeByte(BIG_DECIMAL);
      writeString(out, number.toString());
    } else if (value instanceof Collection<?> list) {
      out.writeByte(LIST);
      writeVarInt(out, list.size());
      list.forEach(element -> writeValue(out, element));
    } else if (value instanceof Map<?, ?> map) {
      out.writeByte(MAP);
      writeVarInt(out, map.size());
      map.forEach(
          (name, element) -> {
            writeString(out, String.valueOf(name));
            writeValue(out, element);
          });
    } else {
      out.writeByte(STRING);
      writeString(out, value.toString());
    }
  }

  static Object readValue(ByteBuf in) {
    return readValue(in, 0);
  }

  private static Object readValue(ByteBuf in, int depth) {
    if (depth > MAX_VALUE_DEPTH) {
      throw new FrameFormatException("claim values nested deeper than " + MAX_VALUE_DEPTH);
    }
    int tag = in.readUnsignedByte();
    switch (tag) {
      case NULL:
        return null;
      case STRING:
        return readString(in);
      case INT:
        return in.readInt();
      case LONG:
        return in.readLong();
      case DOUBLE:
        return in.readDouble();
      case TRUE:
        return Boolean.TRUE;
      case FALSE:
        return Boolean.FALSE;
      case BIG_INTEGER:
        return new BigInteger(readString(in));
      case BIG_DECIMAL:
        return new BigDecimal(readString(in));
      case LIST:
        {
          int count = readCount(in);
          List<Object> list = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            list.add(readValue(in, depth + 1));
          }
          return list;
        }
      case MAP:
        {
          int count = readCount(in);
          Map<String, Object> map = new LinkedHashMap<>();
          for (int i = 0; i < count; i++) {
            map.put(readString(in), readValue(in, depth + 1));
          }
          return map;
        }
      default:
        throw new FrameFormatException("unknown claim value tag " + tag);
    }
  }

  /** An HTTP request into a room; its body ends the frame, so it has no length of its own. */
  static void writeRequest(ByteBuf out, RoomRequest request) {
    writeString(out, request.method());
    writeString(out, request.path());
    writeString(out, request.fullPath());
    writeMultiMap(out, request.query());
    writeMultiMap(out, request.headers());
    // The source's ordinal: RequestSource's order is part of the wire format.
    out.writeByte(request.source().ordinal());
  }

  static RoomRequest readRequest(ByteBuf in) {
    String method = readString(in);
    String path = readString(in);
    String fullPath = readString(in);
    var query = readMultiMap(in);
    var headers = readMultiMap(in);
    RequestSource source = readSource(in);
    return new RoomRequest(method, path, fullPath, query, headers, readRest(in), source);
  }

  private static RequestSource readSource(ByteBuf in) {
    int code = in.readUnsignedByte();
    RequestSource[] sources = RequestSource.values();
    if (code >= sources.length) {
      throw new FrameFormatException("unknown request source " + code);
    }
    return sources[code];
  }

  /** A room's HTTP answer; its body ends the frame. */
  static void writeResponseHead(ByteBuf out, RoomResponse response) {
    writeVarInt(out, response.status());
    writeMultiMap(out, response.headers());
  }

  static RoomResponse readResponse(ByteBuf in) {
    int status = readVarInt(in);
    var headers = readMultiMap(in);
    return new RoomResponse(status, headers, readRest(in));
  }

  /** The payload that ends a frame, copied once out of the network buffer. */
  static byte[] readRest(ByteBuf in) {
    byte[] payload = new byte[in.readableBytes()];
    in.readBytes(payload);
    return payload;
  }
}
