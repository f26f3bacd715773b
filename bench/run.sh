#!/usr/bin/env bash
# Runs a vmscope benchmark on the engine's test classpath. Benchmarks are not tests: they print numbers
# and ratios against a baseline measured in the same run.
#   bench/run.sh capture [EXITS] [ROUNDS]   captured exits/s on samples/ioloop vs a C KVM_RUN loop
#   bench/run.sh kernel [EXITS] [ROUNDS]     exits/s with kernel events (tracefs) on vs off, events lost
#   bench/run.sh debug [PAUSES] [EXITS]      pause latency on a spinning guest; cost of armed breakpoints
#   bench/run.sh disasm                       x86 decoder: a 50-instruction window with text vs decoding alone
#   bench/run.sh trace [EXITS,...] [auto|real|synthetic]   trace bytes/exit, heap, open/stats time (1 GiB heap)
#   bench/run.sh timeline [BIG] [SMALL] [FRAMES] [ROUNDS]   timeline frame cost, 10M vs 1k exits (headless FX)
#   bench/run.sh ui [BIG] [SMALL] [SELECTIONS]   the window on a 10M vs a 10k-exit trace: open, selection, filters
#   bench/run.sh gdb [STEPS] [ROUNDS]         single-steps/s: gdb via vmscope vs gdb via QEMU (if installed) vs console
# BENCH_JAVA_OPTS adds JVM options (e.g. a flight recording).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-capture}"; shift || true
# one reactor build writes each module's classpath to its target/bench.cp; nothing is installed into ~/.m2, so
# benchmarks in several worktrees never see each other's jars
mvn -q -DskipTests -pl engine,app -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="engine/target/test-classes:engine/target/classes:$(cat engine/target/bench.cp)"
case "$which" in
  capture) exec java -cp "$cp" dev.vmscope.engine.bench.CaptureBenchmark "${1:-1000000}" "${2:-9}" . ;;
  kernel) exec java -cp "$cp" dev.vmscope.engine.bench.KernelBenchmark "${1:-1000000}" "${2:-3}" . ;;
  debug) exec java -cp "$cp" dev.vmscope.engine.bench.DebugBenchmark "${1:-300}" "${2:-1000000}" . ;;
  trace) exec java -Xmx1g -cp "$cp" dev.vmscope.engine.bench.TraceBenchmark "${1:-1000000,10000000}" "${2:-auto}" engine/target ;;
  disasm) exec java -cp "$cp" dev.vmscope.engine.bench.DisassemblerBenchmark ;;
  timeline|ui)
    appcp="app/target/test-classes:app/target/classes:engine/target/classes:$(cat app/target/bench.cp)"
    main=TimelineBenchmark; [ "$which" = ui ] && main=UiBenchmark
    exec java -Xmx8g ${BENCH_JAVA_OPTS:-} -cp "$appcp" "dev.vmscope.app.ui.bench.$main" "$@" ;;
  gdb)
    # QEMU only here, never in tests: apt-get install qemu-system-x86 to get its column
    appcp="app/target/test-classes:app/target/classes:engine/target/classes:$(cat app/target/bench.cp)"
    exec java -cp "$appcp" dev.vmscope.app.bench.GdbBenchmark "${1:-2000}" "${2:-5}" samples ;;
  *) echo "unknown benchmark '$which' (capture, kernel, debug, trace, disasm, timeline, ui, gdb)" >&2; exit 2 ;;
esac
