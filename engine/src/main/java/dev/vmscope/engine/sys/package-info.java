/**
 * The native edge: JNA bindings to libc (ioctl, mmap, tgkill) and the KVM structs, {@code KvmIoctls} (request
 * numbers built as the kernel's _IOC does) and {@code KvmRunLayout}, the one description of {@code struct kvm_run}
 * and its exit union; {@code ProcessSignals}, the one user of the JDK's unsupported signal API. Only this package
 * and kvm use JNA.
 */
package dev.vmscope.engine.sys;
