/**
 * KVM's tracepoints, captured beside the user-space exits: what the kernel did for the guest that never reached
 * vmscope (emulated instructions, port I/O served by the in-kernel PIC/PIT, interrupts raised and injected,
 * APIC and MSR accesses, and on VT-x/AMD-V hosts a {@code kvm_exit}/{@code kvm_entry} pair for every exit).
 *
 * <h2>Capture</h2>
 * {@link dev.vmscope.engine.kernel.KernelTracer} owns one tracefs instance ({@code instances/vmscope-PID-N}:
 * its own buffer, never the global one), found by {@link dev.vmscope.engine.kernel.Tracefs} (mounted when
 * absent and allowed). It selects the {@code mono} trace clock, which is CLOCK_MONOTONIC and so the clock of
 * {@link System#nanoTime()} that exit times use; enables the {@code kvm} group (plus {@code kvmmmu} on
 * request) minus the host's MMU-notifier events; and puts exactly this guest's vCPU threads in
 * {@code set_event_pid} (each vCPU thread attaches itself before its first KVM_RUN). One reader thread, never
 * a vCPU thread, reads every CPU's {@code per_cpu/cpuN/trace_pipe_raw} non-blocking in binary,
 * decodes pages with {@link dev.vmscope.engine.kernel.RingBufferPageDecoder} from the running kernel's
 * {@code header_page}/{@code header_event} ({@link dev.vmscope.engine.kernel.RingBufferLayout}) and each
 * event's {@code format} ({@link dev.vmscope.engine.kernel.EventFormat}): no offset is hard-coded. CPUs are
 * merged in time order ({@link dev.vmscope.engine.kernel.CpuStaging}); events the kernel lost are counted from
 * the pages' missed-events words and the per-CPU overrun statistics. Without tracefs or permission, start()
 * throws {@link dev.vmscope.engine.kernel.KernelTraceUnavailable} with one line for the user, and the
 * {@code Machine} runs on without kernel events. The instance is removed on close, by a shutdown hook on
 * Ctrl+C, and (after kill -9) by the next start.
 * {@link dev.vmscope.engine.kernel.KernelEventStore} keeps the events in blocks of 4,096 with a small head each
 * (first time, per-vCPU counts before it) that always stays on the heap; a live run keeps about the most recent
 * {@code Options.liveEvents} blocks' worth in memory and moves older blocks to an unlinked spill file, so the
 * searches below touch one block and a spinning guest's hundreds of thousands of events a second stay bounded.
 *
 * <h2>Reading: {@link dev.vmscope.engine.kernel.KernelEvents}</h2>
 * One read API for live runs and trace files, reached as {@code exitSource.kernelEvents()} (a live
 * {@code ExitStore} gets it from its {@code Machine}, a loaded trace from its file). Use it from any thread:
 * <ul>
 *   <li><b>all events, by time</b>: {@code size()}, {@code timeNs(i)}, {@code vcpu(i)}, {@code name(i)} read
 *       columns without decoding; {@code get(i)} decodes one {@link dev.vmscope.engine.kernel.KernelEvent}
 *       (fields by name, {@code summary()} in words); {@code firstAtOrAfter(t)} finds a time.</li>
 *   <li><b>per vCPU</b>: {@code countOf(v)} and {@code indexOf(v, k)} walk vCPU v's own events;
 *       {@code firstOfVcpuAfter(v, t)} finds a time among them.</li>
 *   <li><b>between two user-space exits</b> of a vCPU: exit times and kernel times share one clock
 *       (ns since the run started), so the kernel events "before exit N" are those of that vCPU with
 *       {@code timeOf(previous exit of the vCPU) < t <= timeOf(N)}:
 *       {@code between(v, after, until, max)} decodes them, {@code countBetween(v, after, until)} counts
 *       without decoding. Use {@code ExitColumns.previousOfSameVcpu(seq)} for the previous exit
 *       ({@code Long.MIN_VALUE} as {@code after} when there is none).</li>
 *   <li><b>counts</b>: {@code countsByName()}, {@code lost()}.</li>
 *   <li><b>live updates</b>: {@code addListener} gets {@code onEvents(from, to)} a batch at a time on the
 *       reader thread (every few ms at most), never once per event: mark a view dirty there, nothing more.</li>
 *   <li><b>whether there are any</b>: {@code capture()} says whether kernel events were captured and, when
 *       not, why, in one line for the user.</li>
 * </ul>
 * Events are published in time order and an index never changes meaning once published. For the VMCS view,
 * {@link dev.vmscope.engine.kernel.KvmExitEvent#of} reads a {@code kvm_exit} event's hardware values (exit
 * reason, qualification, interruption info, error code, info2).
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>Records are kept raw and decoded on demand with the recording kernel's format texts, which a trace
 *       file carries too: a replay decodes exactly what the recording host wrote, with its names.</li>
 *   <li>Names of exit reasons, APIC registers and emulator modes come from the kernel's own print formats
 *       ({@link dev.vmscope.engine.kernel.SymbolTable}), not from a copy in vmscope.</li>
 *   <li>An event belongs to the vCPU in its {@code vcpu_id} field when it has one, else to the vCPU whose
 *       thread emitted it; events from other threads are not captured (the pid filter).</li>
 * </ul>
 */
package dev.vmscope.engine.kernel;
