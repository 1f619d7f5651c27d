package dev.knobflow.plugin.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * What a terminal shows for some output: a carriage return moves to the line's start, {@code ESC
 * [K} erases to the line's end, a newline starts the next line, other characters overwrite.
 */
final class TerminalRendering {

  private TerminalRendering() {}

  static List<String> render(String raw) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    int cursor = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\r') {
        cursor = 0;
      } else if (c == '\n') {
        lines.add(line.toString());
        line.setLength(0);
        cursor = 0;
      } else if (c == '\u001b' && raw.startsWith("[K", i + 1)) {
        line.setLength(cursor);
        i += 2;
      } else {
        if (cursor < line.length()) {
          line.setCharAt(cursor, c);
        } else {
          line.append(c);
        }
        cursor++;
      }
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
