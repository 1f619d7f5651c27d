package dev.knobflow.optimizers;

import java.util.regex.Pattern;

/**
 * The rule for study names, checked in one place when a study is created (by every storage, and by
 * the study-file parser so the error names the file's field): 1 to {@value #MAX_LENGTH} letters,
 * digits, {@code .}, {@code _} or {@code -}, starting with a letter or digit. Such a name is safe
 * as a file name, a URL path segment and a shell word. Studies created under an older, looser rule
 * can still be opened; {@link #fileSafe} encodes any name for use as a file name.
 */
public final class StudyNames {

  /** The longest study name. */
  public static final int MAX_LENGTH = 128;

  /** What a study name may hold, in words, for error messages and docs. */
  public static final String RULE =
      "1 to " + MAX_LENGTH + " letters, digits, '.', '_' or '-', starting with a letter or digit";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private StudyNames() {}

  /** Why {@code name} is not a valid study name, or {@code null} when it is. */
  public static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "must not be empty (" + RULE + ")";
    }
    if (name.length() > MAX_LENGTH) {
      return "is " + name.length() + " characters long (" + RULE + ")";
    }
    if (!VALID.matcher(name).matches()) {
      return "'" + name + "' is not allowed: use " + RULE;
    }
    return null;
  }

  /**
   * Checks a new study's name.
   *
   * @throws IllegalArgumentException naming the rule when {@code name} breaks it
   */
  public static String check(String name) {
    String problem = problem(name);
    if (problem != null) {
      throw new IllegalArgumentException("study name " + problem);
    }
    return name;
  }

  /**
   * {@code name} as a single, safe file name: valid names unchanged, any other character (a path
   * separator, {@code ..}, a control character) percent-encoded as its UTF-8 bytes, so the result
   * never leaves the folder it is resolved against.
   */
  public static String fileSafe(String name) {
    if (problem(name) == null) {
      return name;
    }
    StringBuilder sb = new StringBuilder();
    byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain =
          (b >= 'a' && b <= 'z')
              || (b >= 'A' && b <= 'Z')
              || (b >= '0' && b <= '9')
              || b == '_'
              || b == '-'
              || (b == '.' && i > 0);
      if (plain) {
        sb.append((char) b);
      } else {
        sb.append('%').append(String.format("%02X", b));
      }
    }
    String s = sb.toString();
    return s.length() > 200 ? s.substring(0, 200) : s;
  }
}
