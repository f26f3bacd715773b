package dev.vmscope.engine.vmcs;

/**
 * VMREAD/VMWRITE access type (encoding bit 0). Only 64-bit fields have a HIGH encoding, which reads their
 * upper 32 bits; vmscope models it as a second way to address the same field ({@link FieldRef}).
 */
public enum AccessType {
    FULL, HIGH
}
