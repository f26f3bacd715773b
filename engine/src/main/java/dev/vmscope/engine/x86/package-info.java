/**
 * vmscope's own x86 instruction decoder, in pure Java (the Capstone build on Maven Central has no x86, and
 * users may not install system libraries). Written from the Intel SDM opcode maps.
 *
 * <p>{@link dev.vmscope.engine.x86.X86Decoder} turns bytes into an
 * {@link dev.vmscope.engine.x86.X86Insn}: exact length (what stepping and the VM-exit instruction-length
 * field need), prefixes, opcode map and byte, ModRM/SIB, displacement, immediates, operand/address size, and
 * the I/O facts (immediate port or DX, string I/O, REP). Text is Intel syntax, formatted on demand.
 *
 * <p>Coverage: the whole one-byte map in 16/32/64-bit code; the 0F map (system, VMX/SVM, MSR, CR/DR moves,
 * bit operations, cmov/set/jcc, fences, XSAVE family, MMX/SSE up to SSE4.2, AES, SHA); 0F 38 and 0F 3A; x87.
 * VEX and EVEX are decoded for length by their layout; VEX instructions are named and their operands printed
 * where they have an SSE counterpart or are listed in {@code VexNames}, EVEX ones are named only. Opcodes of
 * 0F 38 / 0F 3A / VEX / EVEX / 3DNow! that no table names print as "(sse)", "(avx)", "(evex)", "(3dnow)" with
 * their structural length. Bytes that are no instruction in the mode are a 1-byte "(bad)".
 */
package dev.vmscope.engine.x86;
