package org.parley.app.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Where this process's CPU went while one measure ran, in cores (CPU seconds per second of the
 * run), split by what the threads are: a throughput that is not bound by its own thread's CPU is
 * waiting for something, or sharing the cores with the broker, the JIT compiler or the collector,
 * and this says which.
 *
 * <p>The Java threads alive at the end are read from the JVM; the rest of the process's CPU is its
 * other threads' (the JIT compilers, the garbage collector, RocksDB's, the VM's) and that of Java
 * threads that ended during the run (clients opened and closed meanwhile). Beside it, the JVM's own
 * account of compiling: the elapsed time of the compilations that finished during the run, a sign
 * of how busy the JIT was, not a CPU time.
 */
public record CpuUse(
    double seconds,
    int cores,
    double process,
    double streamThreads,
    double producerIo,
    double otherJava,
    double jit) {

  /**
   * What was read when a measure started. The process is read before its threads here and after
   * them at the end, so that its CPU covers at least theirs.
   */
  public static final class Start {
    private final long wallNanos = System.nanoTime();
    private final long processNanos = os().getProcessCpuTime();
    private final long compilingMillis = compilingMillis();
    private final Map<Long, Long> threadNanos = threadNanos();

    /** The CPU used since this start. */
    public CpuUse end() {
      return end(0);
    }

    /**
     * The CPU used since this start, counting {@code endedStreamCpu} seconds used by stream threads
     * that ended meanwhile (a rebuild's folding threads) as the stream threads'.
     */
    public CpuUse end(double endedStreamCpu) {
      double seconds = (System.nanoTime() - wallNanos) / 1e9;
      ThreadMXBean threads = threads();
      long[] ids = threads.getAllThreadIds();
      long[] nanos = threads.getThreadCpuTime(ids);
      ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
      double stream = endedStreamCpu;
      double producer = 0;
      double other = 0;
      for (int i = 0; i < ids.length; i++) {
        if (nanos[i] < 0 || infos[i] == null) {
          continue; // ended since the ids were read
        }
        double used = (nanos[i] - threadNanos.getOrDefault(ids[i], 0L)) / 1e9;
        String name = infos[i].getThreadName();
        if (name.startsWith("kafka-producer-network-thread")) {
          producer += used;
        } else if (name.contains("-StreamThread-")) {
          stream += used;
        } else {
          other += used;
        }
      }
      return new CpuUse(
          seconds,
          Runtime.getRuntime().availableProcessors(),
          (os().getProcessCpuTime() - processNanos) / 1e9 / seconds,
          stream / seconds,
          producer / seconds,
          other / seconds,
          compilingMillis < 0 ? -1 : (compilingMillis() - compilingMillis) / 1e3 / seconds);
    }
  }

  public static Start start() {
    return new Start();
  }

  /**
   * The JIT compilers, GC, RocksDB, the VM and Java threads that ended: the process less the Java
   * threads read at the end.
   */
  public double notJava() {
    return Math.max(0, process - streamThreads - producerIo - otherJava);
  }

  /** One line for the bench's table. */
  public String describe(String what) {
    return String.format(
            "      CPU during %s: %.2f of %d cores: stream thread(s) %.2f, producers' I/O %.2f,"
                + " broker and other Java threads %.2f, the JVM's own and native threads (JIT, GC,"
                + " RocksDB) and threads that ended %.2f",
            what, process, cores, streamThreads, producerIo, otherJava, notJava())
        + (jit < 0
            ? ""
            : String.format(
                "; compilations that finished meanwhile took %.2f s a second (elapsed)", jit));
  }

  private static Map<Long, Long> threadNanos() {
    ThreadMXBean threads = threads();
    long[] ids = threads.getAllThreadIds();
    long[] nanos = threads.getThreadCpuTime(ids);
    Map<Long, Long> byId = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (nanos[i] >= 0) {
        byId.put(ids[i], nanos[i]);
      }
    }
    return byId;
  }

  /**
   * Milliseconds the JIT has spent compiling so far (elapsed), or -1 where the JVM does not say.
   */
  static long compilingMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : -1;
  }

  private static ThreadMXBean threads() {
    return (ThreadMXBean) ManagementFactory.getThreadMXBean();
  }

  private static OperatingSystemMXBean os() {
    return (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  }
}
