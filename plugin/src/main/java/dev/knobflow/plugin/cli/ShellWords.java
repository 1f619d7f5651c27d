package dev.knobflow.plugin.cli;

import java.util.regex.Pattern;

/** Quotes words for the commands Knobflow prints for the user to copy (e.g. "Show it: ..."). */
public final class ShellWords {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/:=@%+,-]+");

  private ShellWords() {}

  /**
   * {@code word} as one POSIX shell word: unchanged when it holds only characters no shell treats
   * specially, otherwise in single quotes (a single quote inside written as {@code '\''}).
   */
  public static String quote(String word) {
    if (!word.isEmpty() && PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
