package dev.dormouse.link.wire;

import static dev.dormouse.link.wire.WireFields.readBytes;
import static dev.dormouse.link.wire.WireFields.readCount;
import static dev.dormouse.link.wire.WireFields.readKey;
import static dev.dormouse.link.wire.WireFields.readMultiMap;
import static dev.dormouse.link.wire.WireFields.readOptionalString;
import static dev.dormouse.link.wire.WireFields.readPair;
import static dev.dormouse.link.wire.WireFields.readRequest;
import static dev.dormouse.link.wire.WireFields.readResponse;
import static dev.dormouse.link.wire.WireFields.readRest;
import static dev.dormouse.link.wire.WireFields.readString;
import static dev.dormouse.link.wire.WireFields.readStrings;
import static dev.dormouse.link.wire.WireFields.readValue;
import static dev.dormouse.link.wire.WireFields.readVarInt;
import static dev.dormouse.link.wire.WireFields.readVarLong;
import static dev.dormouse.link.wire.WireFields.writeBytes;
import static dev.dormouse.link.wire.WireFields.writeKey;
import static dev.dormouse.link.wire.WireFields.writeMultiMap;
import static dev.dormouse.link.wire.WireFields.writeOptionalString;
import static dev.dormouse.link.wire.WireFields.writePair;
import static dev.dormouse.link.wire.WireFields.writeRequest;
import static dev.dormouse.link.wire.WireFields.writeResponseHead;
import static dev.dormouse.link.wire.WireFields.writeString;
import static dev.dormouse.link.wire.WireFields.writeStrings;
import static dev.dormouse.link.wire.WireFields.writeValue;
import static dev.dormouse.link.wire.WireFields.writeVarInt;
import static dev.dormouse.link.wire.WireFields.writeVarLong;

import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The byte layout of the link. A frame is a 4-byte big-endian length of what follows, a type byte,
 * then the type's fields (see {@link WireFields}). A message payload is always the last field and runs
 * to the end of the frame, so it is written from the caller's buffer as is and needs no length of its
 * own; a REDIRECT ends with the embedded event frame (type byte and fields) the same way, and the
 * HTTP frames (REQUEST, RESPONSE, CALL, CALL_RESULT) end with their body.
 */
final class FrameCodec {

  /** The largest payload a frame may carry: far above any room's message limit. */
  static final int MAX_PAYLOAD = 64 << 20;

  /** Payload plus the fields around it, such as the connection ids of a large broadcast. */
  static final int MAX_FRAME = MAX_PAYLOAD + (8 << 20);

  static final int LENGTH_BYTES = 4;

  static final int CHALLENGE = 1;
  static final int HELLO = 2;
  static final int WELCOME = 3;
  static final int PING = 4;
  static final int CONNECT = 10;
  static final int MESSAGE = 11;
  static final int FAILURE = 12;
  static final int CLOSE = 13;
  static final int FENCE = 14;
  static final int RELEASED = 15;
  static final int REQUEST = 16;
  static final int CALL_RESULT = 17;
  static final int ALARM = 18;
  static final int CONNECT_RESULT = 20;
  static final int HANDLED = 21;
  static final int CLOSE_DONE = 22;
  static final int FENCE_DONE = 23;
  static final int SEND = 24;
  static final int CLIENT_CLOSE = 25;
  static final int AUTO = 26;
  static final int REDIRECT = 27;
  static final int DRAINING = 28;
  static final int SERVING = 29;
  static final int PAUSED = 30;
  static final int RESPONSE = 31;
  static final int CALL = 32;
  static final int COMMAND = 19;
  static final int COMMAND_DONE = 33;

  private static final int TEXT = 1;
  private static final int WAS_CLEAN = 1;
  private static final int ROOM_INITIATED = 2;

  private FrameCodec() {}

  /**
   * The whole frame, length prefix included. A payload is not copied: the result refers to the
   * caller's buffer, which must not change until the frame is written.
   *
   * @throws IllegalArgumentException when the frame would be larger than {@link #MAX_FRAME}
   */
  static ByteBuf encode(Frame frame, ByteBufAllocator alloc) {
    ByteBuf head = alloc.buffer();
    try {
      head.writeInt(0);
      ByteBuffer payload = writeBody(frame, head);
      long length =
          (long) head.readableBytes() - LENGTH_BYTES + (payload == null ? 0 : payload.remaining());
      if (length > MAX_FRAME) {
        throw new IllegalArgumentException(
            "a "
                + typeName(head.getUnsignedByte(LENGTH_BYTES))
                + " frame of "
                + length
                + " bytes is larger than the link's limit of "
                + MAX_FRAME);
      }
      head.setInt(0, (int) length);
      return payload == null || !payload.hasRemaining()
          ? head
          : alloc.compositeBuffer(2).addComponents(true, head, Unpooled.wrappedBuffer(payload));
    } catch (RuntimeException e) {
      head.release();
      throw e;
    }
  }

  /** Writes the type and fields; returns the payload that ends the frame, if the type has one. */
  private static ByteBuffer writeBody(Frame frame, ByteBuf out) {
    if (frame instanceof Frame.Challenge f) {
      out.writeByte(CHALLENGE);
      writeVarInt(out, f.version());
      writeBytes(out, f.nonce());
    } else if (frame instanceof Frame.Hello f) {
      out.writeByte(HELLO);
      writeVarInt(out, f.version());
      writeString(out, f.gatewayId());
      writeBytes(out, f.nonce());
      writeBytes(out, f.proof());
    } else if (frame instanceof Frame.Welcome f) {
      out.writeByte(WELCOME);
      writeString(out, f.ownerId());
      writeBytes(out, f.proof());
    } else if (frame instanceof Frame.Ping) {
      out.writeByte(PING);
    } else if (frame instanceof Frame.Draining) {
      out.writeByte(DRAINING);
    } else if (frame instanceof Frame.Released) {
      out.writeByte(RELEASED);
    } else if (frame instanceof Frame.Serving) {
      out.writeByte(SERVING);
    } else if (frame instanceof Frame.Paused) {
      out.writeByte(PAUSED);
    } else if (frame instanceof Frame.Event f) {
      return writeEvent(f, out);
    } else if (frame instanceof Frame.ConnectResult f) {
      out.writeByte(CONNECT_RESULT);
      writeVarLong(out, f.id());
      ConnectOutcome outcome = f.outcome();
      out.writeBoolean(outcome.accepted());
      writeVarInt(out, outcome.status());
      writeString(out, outcome.body());
      writePair(out, outcome.autoResponse());
    } else if (frame instanceof Frame.Handled f) {
      out.writeByte(HANDLED);
      writeVarInt(out, f.ids().length);
      for (long id : f.ids()) {
        writeVarLong(out, id);
      }
    } else if (frame instanceof Frame.CloseDone f) {
      out.writeByte(CLOSE_DONE);
      writeVarLong(out, f.id());
    } else if (frame instanceof Frame.FenceDone f) {
      out.writeByte(FENCE_DONE);
      writeVarLong(out, f.id());
    } else if (frame instanceof Frame.Send f) {
      out.writeByte(SEND);
      out.writeByte(f.message().text() ? TEXT : 0);
      writeStrings(out, f.connectionIds());
      return f.message().view();
    } else if (frame instanceof Frame.ClientClose f) {
      out.writeByte(CLIENT_CLOSE);
      writeString(out, f.connectionId());
      writeVarInt(out, f.code());
      writeString(out, f.reason());
    } else if (frame instanceof Frame.Auto f) {
      out.writeByte(AUTO);
      writeKey(out, f.key());
      writePair(out, f.pair());
    } else if (frame instanceof Frame.Redirect f) {
      out.writeByte(REDIRECT);
      writeOptionalString(out, f.holder());
      return writeEvent(f.event(), out);
    } else if (frame instanceof Frame.Response f) {
      out.writeByte(RESPONSE);
      writeVarLong(out, f.id());
      writeResponseHead(out, f.response());
      return ByteBuffer.wrap(f.response().body());
    } else if (frame instanceof Frame.CallResult f) {
      out.writeByte(CALL_RESULT);
      writeVarLong(out, f.id());
      writeResponseHead(out, f.response());
      return ByteBuffer.wrap(f.response().body());
    } else if (frame instanceof Frame.CommandDone f) {
      out.writeByte(COMMAND_DONE);
      writeVarLong(out, f.id());
      writeOptionalString(out, f.refusal().map(Refusal::name));
    } else if (frame instanceof Frame.Call f) {
      out.writeByte(CALL);
      writeVarLong(out, f.id());
      writeKey(out, f.target());
      writeRequest(out, f.request());
      return ByteBuffer.wrap(f.request().body());
    } else {
      throw new IllegalArgumentException("no encoding for " + frame);
    }
    return null;
  }

  private static ByteBuffer writeEvent(Frame.Event frame, ByteBuf out) {
    if (frame instanceof Frame.Connect f) {
      out.writeByte(CONNECT);
      writeVarLong(out, f.id());
      writeKey(out, f.key());
      writeString(out, f.connectionId());
      ConnectRequest request = f.request();
      writeString(out, request.path());
      writeMultiMap(out, request.query());
      writeMultiMap(out, request.headers());
      writeString(out, request.remoteAddress());
      writeVarInt(out, request.claims().size());
      request
          .claims()
          .forEach(
              (name, value) -> {
                writeString(out, name);
                writeValue(out, value);
              });
    } else if (frame instanceof Frame.Incoming f) {
      out.writeByte(MESSAGE);
      writeVarLong(out, f.id());
      writeKey(out, f.key());
      writeString(out, f.connectionId());
      out.writeByte(f.message().isText() ? TEXT : 0);
      return f.message().buffer();
    } else if (frame instanceof Frame.Failure f) {
      out.writeByte(FAILURE);
      writeKey(out, f.key());
      writeString(out, f.connectionId());
      writeString(out, f.description());
    } else if (frame instanceof Frame.Close f) {
      out.writeByte(CLOSE);
      writeVarLong(out, f.id());
      writeKey(out, f.key());
      writeString(out, f.connectionId());
      writeVarInt(out, f.code());
      writeString(out, f.reason());
      out.writeByte((f.wasClean() ? WAS_CLEAN : 0) | (f.roomInitiated() ? ROOM_INITIATED : 0));
    } else if (frame instanceof Frame.Fence f) {
      out.writeByte(FENCE);
      writeVarLong(out, f.id());
      writeKey(out, f.key());
    } else if (frame instanceof Frame.Request f) {
      out.writeByte(REQUEST);
      writeVarLong(out, f.id());
      writeKey(out, f.key());
      writeRequest(out, f.request());
      return ByteBuffer.wrap(f.request().body());
    } else if (frame instanceof Frame.Alarm f) {
      out.writeByte(ALARM);
      writeKey(out, f.key());
    } else if (frame instanceof Frame.Command f) {
      out.writeByte(COMMAND);
      writeVarLong(out, f.id());
      writeKey(out, f.key());
      writeString(out, f.action().name());
    }
    return null;
  }

  /**
   * Reads one frame: the type byte and its fields, without the length prefix. Copies what it keeps,
   * so the buffer may be released afterwards.
   *
   * @throws FrameFormatException when the bytes are not a well-formed frame
   */
  static Frame decode(ByteBuf in) {
    try {
      int type = in.readUnsignedByte();
      Frame frame = readBody(type, in);
      if (in.isReadable()) {
        throw new FrameFormatException(
            in.readableBytes() + " unexpected bytes after a " + typeName(type) + " frame");
      }
      return frame;
    } catch (IndexOutOfBoundsException e) {
      throw new FrameFormatException("frame ends in the middle of a field");
    } catch (IllegalArgumentException | NullPointerException e) {
      // A value the domain types refuse (a bad number, a null claim): as malformed as a short
      // frame.
      throw new FrameFormatException("invalid field: " + e.getMessage());
    }
  }

  private static Frame readBody(int type, ByteBuf in) {
    switch (type) {
      case CHALLENGE:
        return new Frame.Challenge(readVarInt(in), readBytes(in));
      case HELLO:
        return new Frame.Hello(readVarInt(in), readString(in), readBytes(in), readBytes(in));
      case WELCOME:
        return new Frame.Welcome(readString(in), readBytes(in));
      case PING:
        return new Frame.Ping();
      case DRAINING:
        return new Frame.Draining();
      case RELEASED:
        return new Frame.Released();
      case SERVING:
        return new Frame.Serving();
      case PAUSED:
        return new Frame.Paused();
      case CONNECT_RESULT:
        {
          long id = readVarLong(in);
          boolean accepted = in.readBoolean();
          return new Frame.ConnectResult(
              id, new ConnectOutcome(accepted, readVarInt(in), readString(in), readPair(in)));
        }
      case HANDLED:
        {
          long[] ids = new long[readCount(in)];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = readVarLong(in);
          }
          return new Frame.Handled(ids);
        }
      case CLOSE_DONE:
        return new Frame.CloseDone(readVarLong(in));
      case FENCE_DONE:
        return new Frame.FenceDone(readVarLong(in));
      case SEND:
        {
          boolean text = in.readUnsignedByte() == TEXT;
          var connectionIds = readStrings(in);
          return new Frame.Send(
              new OutboundMessage(text, ByteBuffer.wrap(readRest(in))), connectionIds);
        }
      case CLIENT_CLOSE:
        return new Frame.ClientClose(readString(in), readVarInt(in), readString(in));
      case AUTO:
        return new Frame.Auto(readKey(in), readPair(in));
      case REDIRECT:
        return new Frame.Redirect(readOptionalString(in), readEvent(in.readUnsignedByte(), in));
      case RESPONSE:
        return new Frame.Response(readVarLong(in), readResponse(in));
      case CALL_RESULT:
        return new Frame.CallResult(readVarLong(in), readResponse(in));
      case CALL:
        return new Frame.Call(readVarLong(in), readKey(in), readRequest(in));
      case COMMAND_DONE:
        return new Frame.CommandDone(readVarLong(in), readOptionalString(in).map(Refusal::valueOf));
      default:
        return readEvent(type, in);
    }
  }

  private static Frame.Event readEvent(int type, ByteBuf in) {
    switch (type) {
      case CONNECT:
        {
          long id = readVarLong(in);
          var key = readKey(in);
          String connectionId = readString(in);
          String path = readString(in);
          var query = readMultiMap(in);
          var headers = readMultiMap(in);
          String remoteAddress = readString(in);
          int claimCount = readCount(in);
          Map<String, Object> claims = new LinkedHashMap<>();
          for (int i = 0; i < claimCount; i++) {
            claims.put(readString(in), readValue(in));
          }
          return new Frame.Connect(
              id,
              key,
              connectionId,
              new ConnectRequest(path, query, headers, remoteAddress, claims));
        }
      case MESSAGE:
        {
          long id = readVarLong(in);
          var key = readKey(in);
          String connectionId = readString(in);
          boolean text = in.readUnsignedByte() == TEXT;
          byte[] payload = readRest(in);
          return new Frame.Incoming(
              id,
              key,
              connectionId,
              text
                  ? Message.text(new String(payload, StandardCharsets.UTF_8))
                  : Message.binary(payload));
        }
      case FAILURE:
        return new Frame.Failure(readKey(in), readString(in), readString(in));
      case CLOSE:
        {
          long id = readVarLong(in);
          var key = readKey(in);
          String connectionId = readString(in);
          int code = readVarInt(in);
          String reason = readString(in);
          int flags = in.readUnsignedByte();
          return new Frame.Close(
              id,
              key,
              connectionId,
              code,
              reason,
              (flags & WAS_CLEAN) != 0,
              (flags & ROOM_INITIATED) != 0);
        }
      case FENCE:
        return new Frame.Fence(readVarLong(in), readKey(in));
      case REQUEST:
        return new Frame.Request(readVarLong(in), readKey(in), readRequest(in));
      case ALARM:
        return new Frame.Alarm(readKey(in));
      case COMMAND:
        return new Frame.Command(
            readVarLong(in), readKey(in), RoomEvent.Command.Action.valueOf(readString(in)));
      default:
        throw new FrameFormatException("unknown frame type " + type);
    }
  }

  static String typeName(int type) {
    switch (type) {
      case CHALLENGE:
        return "CHALLENGE";
      case HELLO:
        return "HELLO";
      case WELCOME:
        return "WELCOME";
      case PING:
        return "PING";
      case CONNECT:
        return "CONNECT";
      case MESSAGE:
        return "MESSAGE";
      case FAILURE:
        return "FAILURE";
      case CLOSE:
        return "CLOSE";
      case FENCE:
        return "FENCE";
      case ALARM:
        return "ALARM";
      case CONNECT_RESULT:
        return "CONNECT_RESULT";
      case HANDLED:
        return "HANDLED";
      case CLOSE_DONE:
        return "CLOSE_DONE";
      case FENCE_DONE:
        return "FENCE_DONE";
      case SEND:
        return "SEND";
      case CLIENT_CLOSE:
        return "CLIENT_CLOSE";
      case AUTO:
        return "AUTO";
      case REDIRECT:
        return "REDIRECT";
      case DRAINING:
        return "DRAINING";
      case RELEASED:
        return "RELEASED";
      case SERVING:
        return "SERVING";
      case PAUSED:
        return "PAUSED";
      case REQUEST:
        return "REQUEST";
      case CALL_RESULT:
        return "CALL_RESULT";
      case RESPONSE:
        return "RESPONSE";
      case CALL:
        return "CALL";
      case COMMAND:
        return "COMMAND";
      case COMMAND_DONE:
        return "COMMAND_DONE";
      default:
        return "type-" + type;
    }
  }
}
