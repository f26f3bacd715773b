package dev.vmscope.engine.trace;

/**
 * A sealed run of consecutive exits of one vCPU, encoded so it decodes on its own (the delta state starts
 * from zero at every chunk). The same bytes live in memory and in a trace file.
 */
public record Chunk(int vcpu, long firstSeq, long lastSeq, int count, byte[] data) {
    public boolean contains(long seq) {
        return seq >= firstSeq && seq <= lastSeq;
    }
}
