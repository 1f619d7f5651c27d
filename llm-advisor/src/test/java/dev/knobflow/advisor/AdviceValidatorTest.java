package dev.knobflow.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.advisor.AdviceAction.FixValue;
import dev.knobflow.advisor.AdviceAction.NoAction;
import dev.knobflow.advisor.AdviceAction.SetRange;
import dev.knobflow.advisor.AdviceAction.StopTrial;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdviceValidatorTest {

  private final AdviceValidator validator = AdviceValidator.of(Fixtures.space());

  private Advice validate(AdviceAction... actions) {
    return validator.validate(Advice.fromRules("s", List.of(actions), "r", 0.5));
  }

  @Test
  void unknownParameterIsDroppedWithANote() {
    Advice a = validate(new SetRange("dropout", 0.1, 0.2, "x"));
    assertEquals(List.of(ActionKind.NONE), a.actions().stream().map(AdviceAction::kind).toList());
    assertTrue(a.validationNotes().get(0).contains("unknown parameter 'dropout'"));
  }

  @Test
  void rangeIsClampedIntoTheDeclaredSpaceAndExplained() {
    Advice a = validate(new SetRange("lr", 1e-9, 100, "why"));
    SetRange r = (SetRange) a.actions().get(0);
    assertEquals(1e-5, r.low());
    assertEquals(10, r.high());
    assertTrue(r.explanation().startsWith("why"));
    assertTrue(r.explanation().contains("declared high 10"), r.explanation());
    assertTrue(r.explanation().contains("declared low"), r.explanation());
  }

  @Test
  void swappedBoundsAreSwappedAndEmptyRangesDropped() {
    SetRange r = (SetRange) validate(new SetRange("lr", 0.1, 0.01, "")).actions().get(0);
    assertEquals(0.01, r.low());
    assertEquals(0.1, r.high());
    Advice outside = validate(new SetRange("lr", 20, 30, ""));
    assertEquals(ActionKind.NONE, outside.actions().get(0).kind());
    Advice empty = validate(new SetRange("batch_size", 20.2, 20.7, ""));
    assertEquals(ActionKind.NONE, empty.actions().get(0).kind());
    assertTrue(empty.validationNotes().get(0).contains("empty"));
  }

  @Test
  void integerRangesAreRoundedInwards() {
    SetRange r = (SetRange) validate(new SetRange("batch_size", 31.5, 200.9, "")).actions().get(0);
    assertEquals(32, r.low());
    assertEquals(200, r.high());
  }

  @Test
  void logRangeStaysPositive() {
    SetRange r = (SetRange) validate(new SetRange("lr", -5, 0.1, "")).actions().get(0);
    assertTrue(r.low() > 0);
  }

  @Test
  void rangeOnCategoricalAndNonFiniteBoundsAreDropped() {
    assertEquals(
        ActionKind.NONE, validate(new SetRange("optimizer", 0, 1, "")).actions().get(0).kind());
    assertEquals(
        ActionKind.NONE, validate(new SetRange("lr", Double.NaN, 1, "")).actions().get(0).kind());
  }

  @Test
  void fixedCategoricalMustBeADeclaredChoice() {
    assertEquals(
        "sgd",
        ((FixValue) validate(new FixValue("optimizer", "sgd", "")).actions().get(0)).value());
    Advice bad = validate(new FixValue("optimizer", "rmsprop", ""));
    assertEquals(ActionKind.NONE, bad.actions().get(0).kind());
    assertTrue(bad.validationNotes().get(0).contains("not a declared choice"));
  }

  @Test
  void fixedNumbersAreParsedClampedAndTyped() {
    FixValue lr = (FixValue) validate(new FixValue("lr", "100", "")).actions().get(0);
    assertEquals(10.0, lr.value());
    assertTrue(lr.explanation().contains("clamped"));
    FixValue batch = (FixValue) validate(new FixValue("batch_size", 63.6, "")).actions().get(0);
    assertEquals(64L, batch.value());
    assertEquals(ActionKind.NONE, validate(new FixValue("lr", "fast", "")).actions().get(0).kind());
  }

  @Test
  void oneActionPerParameterOneStopAndNoneOnlyWhenAlone() {
    Advice a =
        validate(
            new StopTrial("a"),
            new StopTrial("b"),
            new NoAction("n"),
            new SetRange("lr", 1e-4, 1e-2, ""),
            new FixValue("lr", 0.001, ""));
    assertEquals(
        List.of(ActionKind.STOP_TRIAL, ActionKind.SET_RANGE),
        a.actions().stream().map(AdviceAction::kind).toList());
    assertEquals(2, a.validationNotes().size());
  }

  @Test
  void controlCharactersAreStrippedAndTextCapped() {
    Advice a =
        validator.validate(
            Advice.fromRules("a\u0000b\u001b[31m", List.of(), "x".repeat(5000), 0.5));
    assertEquals("ab[31m", a.summary());
    assertEquals(AdviceValidator.MAX_RATIONALE, a.rationale().length());
  }
}
