/**
 * Where exits are kept and read back: {@code ExitStore} (columns plus delta-encoded chunks, written by the vCPU
 * threads), {@code ExitSource} (one read API for a live run and a recorded trace), code pages, the .vmtrace writer
 * and reader, statistics and CSV/Perfetto export. Views read exits from an ExitSource; vmcs turns one into VMCS
 * fields. A live run's memory is bounded: {@code Spiller} moves older exits to an unlinked {@code SpillFile} and the
 * store reads them back from there, so no view knows.
 */
package dev.vmscope.engine.trace;
