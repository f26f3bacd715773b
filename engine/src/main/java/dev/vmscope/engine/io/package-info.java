/**
 * File plumbing shared by the stores and writers: {@code IoErrors} words an I/O failure without repeating the
 * path, {@code SpillFile} is the unlinked temporary file a live run's older exits and kernel events move to once
 * its memory bound is reached, and {@code WakeableTask} the thread that moves them there without the writer
 * ever waiting. Depends on nothing else of the engine.
 */
package dev.vmscope.engine.io;
