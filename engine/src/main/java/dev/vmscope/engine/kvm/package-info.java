/**
 * The KVM file descriptors as objects: {@code Kvm} (/dev/kvm) creates a {@code Vm}, which creates {@code Vcpu}s
 * and maps guest RAM ({@code GuestMemory}, bounds-checked). Every ioctl vmscope makes goes through here; errors
 * become {@code KvmException} with the ioctl's name.
 */
package dev.vmscope.engine.kvm;
