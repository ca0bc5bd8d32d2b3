package org.parley.bench;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Compares the fold of two or more builds (or measures one) in one JVM, in turns: {@code java -cp
 * modules/bench/target/benchmarks.jar org.parley.bench.CompareFolds 90 old.jar new.jar} (each jar a
 * {@code benchmarks.jar} of one build). Each round folds {@link FoldBenchmark}'s log five times
 * with each build, alternating which goes first.
 *
 * <p>Why: on a shared two-core machine, JMH runs of the same build, a minute apart, differ by a
 * third or more, so two builds measured one after the other cannot be told apart. Taking turns
 * within seconds exposes both to the same disturbance. The first third of the rounds warms the JIT
 * and is not counted; the median is the number to compare, and beside it the median of each round's
 * ratio to the first build's. The rate assumes the running build's {@link FoldBenchmark#EVENTS}:
 * compare builds whose benchmark folds the same log.
 */
public final class CompareFolds {
  private static final int FOLDS_PER_TURN = 5;

  private CompareFolds() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: CompareFolds ROUNDS BENCHMARKS_JAR... (one jar per build to compare)");
      System.exit(2);
    }
    int rounds = Integer.parseInt(args[0]);
    if (rounds < 3) {
      System.err.println("ROUNDS must be at least 3: the first third only warms up");
      System.exit(2);
    }
    int builds = args.length - 1;
    Object[] benchmarks = new Object[builds];
    Method[] folds = new Method[builds];
    Object[] sinks = new Object[builds];
    for (int i = 0; i < builds; i++) {
      File jar = new File(args[i + 1]);
      if (!jar.isFile()) {
        System.err.println("no such jar: " + jar);
        System.exit(2);
      }
      // Each build in its own class loader, so each has its own classes, compiled for itself. The
      // JDK's classes (collections, MessageDigest) are shared, and so are their profiles: a call
      // site inside them that sees both builds' classes may compile less well for both.
      ClassLoader loader =
          new URLClassLoader(new URL[] {jar.toURI().toURL()}, ClassLoader.getPlatformClassLoader());
      Class<?> benchmark = loader.loadClass(FoldBenchmark.class.getName());
      Class<?> blackhole = loader.loadClass(Blackhole.class.getName());
      benchmarks[i] = benchmark.getConstructor().newInstance();
      benchmark.getMethod("generate").invoke(benchmarks[i]);
      sinks[i] =
          blackhole
              .getConstructor(String.class)
              .newInstance(
                  "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
      folds[i] = benchmark.getMethod("foldALog", blackhole);
    }
    double[][] rates = new double[builds][rounds];
    for (int round = 0; round < rounds; round++) {
      for (int turn = 0; turn < builds; turn++) {
        int i = round % 2 == 0 ? turn : builds - 1 - turn;
        long start = System.nanoTime();
        for (int fold = 0; fold < FOLDS_PER_TURN; fold++) {
          folds[i].invoke(benchmarks[i], sinks[i]);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        rates[i][round] = FOLDS_PER_TURN * (double) FoldBenchmark.EVENTS / seconds;
      }
    }
    for (int i = 0; i < builds; i++) {
      double[] counted = Arrays.copyOfRange(rates[i], rounds / 3, rounds);
      Arrays.sort(counted);
      // Each round's rate over the first build's in the same round, seconds apart: a disturbance
      // that lasts a round slows both, so the ratio moves less than either rate.
      double[] ratios = new double[rounds - rounds / 3];
      for (int round = rounds / 3; round < rounds; round++) {
        ratios[round - rounds / 3] = rates[i][round] / rates[0][round];
      }
      Arrays.sort(ratios);
      System.out.printf(
          "%-40s median %,10.0f   p25 %,10.0f   p75 %,10.0f events/s   (%d rounds counted)%s%n",
          args[i + 1],
          counted[counted.length / 2],
          counted[counted.length / 4],
          counted[counted.length * 3 / 4],
          counted.length,
          i == 0
              ? ""
              : String.format(
                  "   against the first, round by round: median %.3f (p25 %.3f, p75 %.3f)",
                  ratios[ratios.length / 2],
                  ratios[ratios.length / 4],
                  ratios[ratios.length * 3 / 4]));
    }
  }
}
