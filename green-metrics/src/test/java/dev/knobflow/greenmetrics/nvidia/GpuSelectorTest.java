package dev.knobflow.greenmetrics.nvidia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class GpuSelectorTest {

  private static final GpuInfo G0 =
      new GpuInfo(0, "GPU-a1b2c3d4-e5f6-a7b8-c9d0-e1f2a3b4c5d6", "NVIDIA A100");
  private static final GpuInfo G1 =
      new GpuInfo(1, "GPU-b1b2c3d4-e5f6-a7b8-c9d0-e1f2a3b4c5d6", "NVIDIA A100");
  private static final GpuInfo G2 =
      new GpuInfo(2, "GPU-c9c9c9c9-e5f6-a7b8-c9d0-e1f2a3b4c5d6", "NVIDIA A100");
  private static final List<GpuInfo> ALL = List.of(G0, G1, G2);
  private static final Supplier<Map<String, String>> NO_MIG =
      () -> {
        throw new AssertionError("nvidia-smi -L must not be consulted");
      };

  private static List<GpuInfo> env(String value) {
    return GpuSelector.select(ALL, List.of(), value, NO_MIG);
  }

  @Test
  void unsetVariableSelectsAllGpus() {
    assertEquals(ALL, env(null));
  }

  @Test
  void indicesKeepTheirOrder() {
    assertEquals(List.of(G2, G0), env("2,0"));
  }

  @Test
  void uuidsAndUniquePrefixesMatch() {
    assertEquals(List.of(G1), env("GPU-b1b2c3d4-e5f6-a7b8-c9d0-e1f2a3b4c5d6"));
    assertEquals(List.of(G2), env("GPU-c9"));
  }

  @Test
  void ambiguousPrefixMatchesNothing() {
    assertThrows(IllegalArgumentException.class, () -> env("GPU-"));
  }

  @Test
  void parsingStopsAtTheFirstInvalidEntryLikeCuda() {
    assertEquals(List.of(G0), env("0,7,1"));
    assertEquals(List.of(G1), env("1,-1,2"));
  }

  @Test
  void emptyVariableHidesEveryGpuWithAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env(""));
    assertTrue(e.getMessage().contains("CUDA_VISIBLE_DEVICES=''"), e.getMessage());
    assertTrue(e.getMessage().contains("GPU-a1b2"), "lists available GPUs: " + e.getMessage());
  }

  @Test
  void legacyMigSyntaxSelectsTheParentGpu() {
    assertEquals(List.of(G1), env("MIG-GPU-b1b2c3d4-e5f6-a7b8-c9d0-e1f2a3b4c5d6/1/0"));
  }

  @Test
  void migUuidsAreResolvedThroughNvidiaSmiListAndDeduplicated() {
    Map<String, String> parents =
        GpuSelector.parseMigParents(
            List.of(
                "GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-a1b2c3d4-e5f6-a7b8-c9d0-e1f2a3b4c5d6)",
                "  MIG 1g.10gb     Device  0: (UUID: MIG-11111111-2222-3333-4444-555555555555)",
                "  MIG 1g.10gb     Device  1: (UUID: MIG-66666666-7777-8888-9999-000000000000)",
                "GPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-b1b2c3d4-e5f6-a7b8-c9d0-e1f2a3b4c5d6)"));
    assertEquals(2, parents.size());
    List<GpuInfo> chosen =
        GpuSelector.select(
            ALL,
            List.of(),
            "MIG-11111111-2222-3333-4444-555555555555,MIG-66666666-7777-8888-9999-000000000000",
            () -> parents);
    assertEquals(List.of(G0), chosen);
  }

  @Test
  void explicitSelectionWinsOverTheEnvironment() {
    List<GpuInfo> chosen = GpuSelector.select(ALL, List.of("2", "GPU-a1b2c3d4"), "1", NO_MIG);
    assertEquals(List.of(G2, G0), chosen);
  }

  @Test
  void unknownExplicitGpuIsAnErrorListingTheAvailableOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GpuSelector.select(ALL, List.of("5"), null, NO_MIG));
    assertTrue(e.getMessage().contains("'5'"), e.getMessage());
    assertTrue(e.getMessage().contains("GPU-c9c9c9c9"), e.getMessage());
  }
}
