package dev.knobflow.advisor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoleResolverTest {

  private final RoleResolver common = RoleResolver.byCommonNames();

  @Test
  void commonLearningRateNamesAreRecognisedCaseInsensitively() {
    for (String name :
        new String[] {
          "lr",
          "LR",
          "learning_rate",
          "learning-rate",
          "Eta",
          "LearningRate",
          "optimizer.lr",
          "model/learning_rate"
        }) {
      assertEquals(Optional.of(ParameterRole.LEARNING_RATE), common.roleOf(name), name);
    }
  }

  @Test
  void otherRolesAndLookalikesAreDistinguished() {
    assertEquals(Optional.of(ParameterRole.BATCH_SIZE), common.roleOf("batch_size"));
    assertEquals(Optional.of(ParameterRole.MOMENTUM), common.roleOf("momentum"));
    assertEquals(Optional.of(ParameterRole.WEIGHT_DECAY), common.roleOf("weight_decay"));
    assertEquals(Optional.of(ParameterRole.EPOCHS), common.roleOf("n_estimators"));
    assertTrue(common.roleOf("beta").isEmpty(), "beta is not eta");
    assertTrue(common.roleOf("layers").isEmpty());
  }

  @Test
  void explicitMappingWinsOverNames() {
    RoleResolver r = RoleResolver.fromConfig(Map.of("my_lr", "learning_rate", "lr", "momentum"));
    assertEquals(Optional.of(ParameterRole.LEARNING_RATE), r.roleOf("my_lr"));
    assertEquals(Optional.of(ParameterRole.MOMENTUM), r.roleOf("lr"));
  }

  @Test
  void unknownRoleInConfigNamesTheParameterAndAllowedRoles() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RoleResolver.fromConfig(Map.of("x", "speed")));
    assertTrue(e.getMessage().contains("advisor.roles.x"), e.getMessage());
    assertTrue(e.getMessage().contains("learning_rate"), e.getMessage());
  }
}
