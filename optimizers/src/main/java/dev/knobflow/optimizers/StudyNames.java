package dev.knobflow.optimizers;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The rule for study names, checked in one place when a study is created (by every storage, and by
 * the study-file parser so the error names the file's field): 1 to {@value #MAX_LENGTH} characters,
 * none of them {@code /}, {@code \\} or a control character (a newline, a tab...), not starting
 * with {@code .}, {@code -} or a space and not ending with a space. So a name is never a path, an
 * option or an invisible line break; where a name becomes a file name it still goes through {@link
 * #fileSafe}, which keeps only {@code [A-Za-z0-9._-]} and percent-encodes the rest, and printed
 * commands quote it. Studies created under an older, looser rule can still be opened.
 */
public final class StudyNames {

  /** The longest study name. */
  public static final int MAX_LENGTH = 200;

  /** What a study name may hold, in words, for error messages and docs. */
  public static final String RULE =
      "1 to "
          + MAX_LENGTH
          + " characters, without '/', '\\' or control characters, not starting with '.', '-' or"
          + " a space and not ending with a space";

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private StudyNames() {}

  /** Why {@code name} is not a valid study name, or {@code null} when it is. */
  public static @Nullable String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "must not be empty (" + RULE + ")";
    }
    if (name.length() > MAX_LENGTH) {
      return "is " + name.length() + " characters long (" + RULE + ")";
    }
    boolean bad =
        name.chars().anyMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c))
            || name.startsWith(".")
            || name.startsWith("-")
            || Character.isWhitespace(name.charAt(0))
            || Character.isWhitespace(name.charAt(name.length() - 1));
    if (bad) {
      return "'" + name.replaceAll("\\p{Cntrl}", "?") + "' is not allowed: use " + RULE;
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
   * {@code name} as a single, safe file name: letters, digits, {@code _}, {@code -} and (not first)
   * {@code .} unchanged, any other character (a path separator, a space, a control character)
   * percent-encoded as its UTF-8 bytes, so the result never leaves the folder it is resolved
   * against.
   */
  public static String fileSafe(String name) {
    if (PLAIN.matcher(name).matches()) {
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
