import dev.knobflow.examples.djl.MlpConfig;
import dev.knobflow.examples.djl.MlpSegmentTrainer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves {@link MlpSegmentTrainer} to Ray Tune's trainables (bench/pbt/ray_pbt_digits.py), so Ray
 * trains the very same network, data split and metric as Knobflow's side without a JVM start per
 * segment. Listens on a free loopback port, prints {@code port N} on stdout, and serves each
 * connection on its own thread, one request per line:
 *
 * <pre>
 * train SEED TO_EPOCH LR WEIGHT_DECAY RESTORE_FILE|- SAVE_FILE  ->  ok ACCURACY EPOCHS EPOCHS_TRAINED
 * spent SEED                                                     ->  ok EPOCHS_TRAINED_FOR_SEED
 * </pre>
 *
 * (or {@code error MESSAGE}). Exits when its stdin closes, so it never outlives the driver.
 *
 * <p>Usage: java -cp CP bench/pbt/MlpTrainServer.java UNITS BATCH
 */
public class MlpTrainServer {

  public static void main(String[] args) throws Exception {
    MlpSegmentTrainer trainer =
        new MlpSegmentTrainer(
            MlpConfig.defaults(), 1, Integer.parseInt(args[0]), Integer.parseInt(args[1]));
    Map<Long, AtomicLong> spent = new ConcurrentHashMap<>();
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    System.out.println("port " + server.getLocalPort());
    System.out.flush();
    Thread watchdog =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // The driver holds our stdin; EOF means it is gone.
                }
              } catch (Exception ignored) {
                // Same: stop.
              }
              System.exit(0);
            });
    watchdog.setDaemon(true);
    watchdog.start();
    while (true) {
      Socket socket = server.accept();
      Thread t = new Thread(() -> serve(socket, trainer, spent));
      t.setDaemon(true);
      t.start();
    }
  }

  static void serve(Socket socket, MlpSegmentTrainer trainer, Map<Long, AtomicLong> spent) {
    try (socket;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out =
            new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.trim().split(" ");
        try {
          if (f[0].equals("train") && f.length == 7) {
            long seed = Long.parseLong(f[1]);
            Optional<byte[]> from =
                f[5].equals("-") ? Optional.empty() : Optional.of(Files.readAllBytes(Path.of(f[5])));
            MlpSegmentTrainer.Segment s =
                trainer.train(
                    from,
                    Integer.parseInt(f[2]),
                    Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]),
                    seed);
            Files.write(Path.of(f[6]), s.checkpoint());
            spent.computeIfAbsent(seed, k -> new AtomicLong()).addAndGet(s.epochsTrained());
            out.printf(
                Locale.ROOT, "ok %.6f %d %d%n", s.accuracy(), s.epochs(), s.epochsTrained());
          } else if (f[0].equals("spent") && f.length == 2) {
            long seed = Long.parseLong(f[1]);
            out.println("ok " + spent.getOrDefault(seed, new AtomicLong()).get());
          } else {
            out.println("error unknown request: " + line);
          }
        } catch (Exception e) {
          out.println("error " + String.valueOf(e).replace('\n', ' '));
        }
      }
    } catch (Exception e) {
      System.err.println("MlpTrainServer: connection failed: " + e);
    }
  }
}
