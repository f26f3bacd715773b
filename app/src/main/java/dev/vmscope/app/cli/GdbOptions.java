package dev.vmscope.app.cli;

import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.gdb.GdbArch;
import dev.vmscope.engine.gdb.GdbServer;
import picocli.CommandLine.Option;

import java.util.function.Consumer;

/** {@code --gdb [HOST:]PORT} and {@code --gdb-arch}, shared by the commands that can serve gdb. */
public final class GdbOptions {
    @Option(names = "--gdb", paramLabel = "[HOST:]PORT", description = "Also serve gdb's remote protocol on this"
            + " port (127.0.0.1 unless a host is given); in gdb: target remote :PORT.")
    String gdb;

    @Option(names = "--gdb-arch", paramLabel = "ARCH", defaultValue = "x86-64", description = "What gdb is told the"
            + " target is: x86-64 (default), i386 for 32-bit guests, i8086 for real-mode code.")
    String arch;

    /** For the window: null when --gdb was not given. */
    dev.vmscope.app.ui.LaunchRequest.Gdb forWindow() {
        if (gdb == null) {
            return null;
        }
        GdbServer.parse(gdb);   // a bad port is a usage error now, not a banner later
        return new dev.vmscope.app.ui.LaunchRequest.Gdb(gdb, GdbArch.parse(arch));
    }

    /** The server for {@code session}, or null when --gdb was not given. */
    GdbServer start(DebugSession session, Consumer<String> log) {
        return gdb == null ? null : GdbServer.live(session, gdb, GdbArch.parse(arch), seq -> { }, log);
    }
}
