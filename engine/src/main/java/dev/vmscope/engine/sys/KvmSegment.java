package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_segment (24 bytes): a segment register as KVM exposes it (unpacked attribute bits). */
@FieldOrder({"base", "limit", "selector", "type", "present", "dpl", "db", "s", "l", "g", "avl",
        "unusable", "padding"})
public class KvmSegment extends Structure {
    public long base;        // __u64 base
    public int limit;        // __u32 limit
    public short selector;   // __u16 selector
    public byte type;        // __u8 type
    public byte present;     // __u8 present
    public byte dpl;         // __u8 dpl
    public byte db;          // __u8 db
    public byte s;           // __u8 s
    public byte l;           // __u8 l
    public byte g;           // __u8 g
    public byte avl;         // __u8 avl
    public byte unusable;    // __u8 unusable
    public byte padding;     // __u8 padding

    public static class ByValue extends KvmSegment implements Structure.ByValue {
    }
}
