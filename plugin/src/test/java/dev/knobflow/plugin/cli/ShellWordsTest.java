package dev.knobflow.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ShellWordsTest {

  @Test
  void plainWordsStayAndOthersAreSingleQuoted() {
    assertEquals("xgb-demo", ShellWords.quote("xgb-demo"));
    assertEquals("journal:runs/j.jsonl", ShellWords.quote("journal:runs/j.jsonl"));
    assertEquals("'a b'", ShellWords.quote("a b"));
    assertEquals("'$(rm -rf ~)'", ShellWords.quote("$(rm -rf ~)"));
    assertEquals("'it'\\''s'", ShellWords.quote("it's"));
    assertEquals("''", ShellWords.quote(""));
  }
}
