/**
 * Where exits are kept and read back: {@code ExitStore} (columns plus delta-encoded chunks, written by the vCPU
 * threads), {@code ExitSource} (one read API for a live run and a recorded trace), code pages, the .vmtrace writer
 * and reader, statistics and CSV/Perfetto export. Views read exits from an ExitSource; vmcs turns one into VMCS
 * fields.
 */
package dev.vmscope.engine.trace;
