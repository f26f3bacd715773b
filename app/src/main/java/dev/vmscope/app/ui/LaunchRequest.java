package dev.vmscope.app.ui;

import dev.vmscope.engine.gdb.GdbArch;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.trace.ExitSource;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * What the window opens with. Built by the command line (the app's {@code Main}) and handed to
 * {@link UiLauncher#launch}.
 *
 * @param guest       a guest to run live, paused at its first instruction (null: none)
 * @param trace       a .vmtrace file to open (with progress and cancel) and browse (null: none)
 * @param replay      loads a recorded run to browse (null: none); called off the FX thread
 * @param replayLabel the name shown for the replay (e.g. the trace file's name)
 * @param traceOpener turns a trace file into an exit source for File ▸ Open trace (null: not offered)
 * @param samplesDir  where the samples chooser looks (null: the default search)
 * @param gdb         serve gdb on every session the window opens (null: not unless asked in the window)
 * @param window      size, theme, walkthrough step and screenshot from the command line
 */
public record LaunchRequest(MachineConfig guest, Path trace, Callable<ExitSource> replay, String replayLabel,
                            Function<Path, ExitSource> traceOpener, Path samplesDir, Gdb gdb,
                            WindowOptions window) {
    /** {@code --gdb [HOST:]PORT} and the architecture gdb is told. */
    public record Gdb(String spec, GdbArch arch) {
    }


    /** The window with nothing open yet (samples listed). */
    public static LaunchRequest empty() {
        return new LaunchRequest(null, null, null, null, null, null, null, WindowOptions.NONE);
    }

    public static LaunchRequest guest(MachineConfig config) {
        return new LaunchRequest(config, null, null, null, null, null, null, WindowOptions.NONE);
    }

    /** {@code vmscope open FILE.vmtrace}: the window browsing a recorded run. */
    public static LaunchRequest trace(Path file) {
        return new LaunchRequest(null, file, null, null, null, null, null, WindowOptions.NONE);
    }

    /** Any exit source (e.g. one built in memory), loaded off the FX thread. */
    public static LaunchRequest replay(String label, Callable<ExitSource> loader) {
        return new LaunchRequest(null, null, loader, label, null, null, null, WindowOptions.NONE);
    }

    /** Overrides how File ▸ Open trace reads a file (default: the engine's TraceReader). */
    public LaunchRequest withTraceOpener(Function<Path, ExitSource> opener) {
        return new LaunchRequest(guest, trace, replay, replayLabel, opener, samplesDir, gdb, window);
    }

    public LaunchRequest withSamplesDir(Path dir) {
        return new LaunchRequest(guest, trace, replay, replayLabel, traceOpener, dir, gdb, window);
    }

    public LaunchRequest withGdb(Gdb g) {
        return new LaunchRequest(guest, trace, replay, replayLabel, traceOpener, samplesDir, g, window);
    }

    public LaunchRequest withWindow(WindowOptions w) {
        return new LaunchRequest(guest, trace, replay, replayLabel, traceOpener, samplesDir, gdb,
                w == null ? WindowOptions.NONE : w);
    }
}
