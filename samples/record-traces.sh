#!/usr/bin/env bash
# Regenerates the recorded trace of every sample (samples/NAME/NAME.vmtrace), so the window and the
# commands can replay them on a machine without KVM. Needs /dev/kvm and a built jar
# (mvn -q -DskipTests package). Kernel events (KVM's tracepoints) are recorded too where this user may trace
# (root); elsewhere one line says why and the traces hold exits only. Samples with a walkthrough are recorded
# while playing it (vmscope debug --walkthrough). Usage: samples/record-traces.sh [NAME...]
set -euo pipefail
cd "$(dirname "$0")/.."
jar=app/target/vmscope.jar
[ -f "$jar" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 2; }
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for d in samples/*/; do [ -f "$d/sample.properties" ] && names+=("$(basename "$d")"); done
fi
for n in "${names[@]}"; do
  extra=()
  case "$n" in
    spin) extra=(--timeout 0.5) ;;            # never exits again after its banner
    ioloop) extra=(--max-exits 20000) ;;      # the full million would be 16 MB
  esac
  # a guest that fails (triplefault) still leaves a complete trace; only vmscope's own errors (2) stop us
  set +e
  if [ -f "samples/$n/walkthrough.txt" ] && [ "$n" != spin ]; then
    # played as the window plays the tour: its hardware-breakpoint #DB exits and trap-msrs exits are in the
    # trace, so a replay's walkthrough stops exactly where the live one does
    java -jar "$jar" debug "samples/$n" --walkthrough --snapshot full --kernel-events \
      --record "samples/$n/$n.vmtrace" "${extra[@]}" >/dev/null </dev/null
  else
    java -jar "$jar" run "samples/$n" --snapshot full --kernel-events --record "samples/$n/$n.vmtrace" \
      "${extra[@]}" >/dev/null
  fi
  rc=$?
  set -e
  [ "$rc" -eq 2 ] && { echo "recording $n failed" >&2; exit 2; }
  printf '%-12s %s\n' "$n" "$(du -h "samples/$n/$n.vmtrace" | cut -f1)"
done
