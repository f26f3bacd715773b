/**
 * What one VM exit is: {@code CapturedExit}, the reused arrays a vCPU thread fills straight from kvm_run; {@code
 * KvmExit}, the decoded exit union (sealed records); {@code GuestState}, the guest's registers as words with typed
 * accessors; {@code ExitRecord}, an exit with its state. Next an exit goes to trace (ExitStore) to be kept.
 */
package dev.vmscope.engine.exit;
