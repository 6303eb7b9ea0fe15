package dev.autopilot.internal.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reading input files with limits: size, strict UTF-8, no binary. */
final class TextFiles {
  private TextFiles() {}

  /** A file that cannot be used, with the reason people read. */
  static final class BadFile extends Exception {
    BadFile(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Reads at most {@code limit} bytes; more is an error naming the size and the setting. */
  static byte[] readLimited(InputStream in, long limit, String limitSetting) throws IOException, BadFile {
    byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    if (data.length > limit) {
      throw new BadFile("file is larger than the limit of " + limit + " bytes (" + limitSetting + ")");
    }
    return data;
  }

  /** Decodes strict UTF-8 (a leading BOM dropped); an invalid sequence names its byte offset. */
  static String utf8(byte[] data) throws BadFile {
    int start = data.length >= 3 && (data[0] & 0xff) == 0xef && (data[1] & 0xff) == 0xbb && (data[2] & 0xff) == 0xbf ? 3 : 0;
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(data, start, data.length - start);
    CharBuffer out = CharBuffer.allocate(data.length);
    CoderResult r = d.decode(in, out, true);
    if (r.isError()) {
      throw new BadFile("not valid UTF-8: invalid byte sequence at byte offset " + in.position());
    }
    r = d.flush(out);
    out.flip();
    return out.toString();
  }

  /** A NUL byte in the first 8 KiB marks a binary file (git's heuristic). */
  static boolean looksBinary(byte[] data) {
    for (int i = 0; i < Math.min(data.length, 8192); i++) {
      if (data[i] == 0) {
        return true;
      }
    }
    return false;
  }
}
