/**
 * A leaf every layer may use: {@link dev.vmscope.engine.config.GuestConfigException}, the one error for input a
 * user got wrong (a guest, an option, a breakpoint: one line, exit code 2), and
 * {@link dev.vmscope.engine.config.CpuMode}, the mode a guest starts in. Depends on nothing of vmscope.
 */
package dev.vmscope.engine.config;
