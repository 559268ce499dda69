package dev.dormouse.link.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A peer on a plain blocking socket, for playing a broken or hostile gateway or owner in tests. */
final class RawPeer {

  private RawPeer() {}

  static void write(Socket socket, Frame frame) throws IOException {
    ByteBuf encoded = FrameCodec.encode(frame, UnpooledByteBufAllocator.DEFAULT);
    try {
      OutputStream out = socket.getOutputStream();
      out.write(ByteBufUtil.getBytes(encoded));
      out.flush();
    } finally {
      encoded.release();
    }
  }

  static Frame read(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return FrameCodec.decode(Unpooled.wrappedBuffer(frame));
  }

  /** Reads until the peer closes; fails with a timeout if it does not. */
  static void awaitClosedByPeer(Socket socket) throws IOException {
    socket.setSoTimeout(5_000);
    InputStream in = socket.getInputStream();
    byte[] sink = new byte[4096];
    while (in.read(sink) >= 0) {
      // Whatever it still sends before closing does not matter here.
    }
  }
}
