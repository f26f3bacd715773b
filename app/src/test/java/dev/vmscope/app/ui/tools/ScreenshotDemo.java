package dev.vmscope.app.ui.tools;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.LaunchRequest;
import dev.vmscope.app.ui.VmscopeApp;
import dev.vmscope.app.ui.main.MainViewModel;
import dev.vmscope.app.ui.testing.Guests;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;

import java.nio.file.Path;

/**
 * Opens the real window on the demo guest (live on /dev/kvm), runs it to the end and selects an OUT to the
 * UART, for screenshots: {@code xvfb-run -a -s "-screen 0 1600x1000x24" java -cp … ScreenshotDemo [samplesDir]
 * [presenter]}, then {@code import -window root shot.png}.
 */
public final class ScreenshotDemo {
    private ScreenshotDemo() {
    }

    public static void main(String[] args) {
        if (args.length > 1 && args[1].startsWith("synthetic")) {
            long n = Long.parseLong(args[1].substring("synthetic".length()));
            var store = dev.vmscope.app.ui.testing.SyntheticExits.fill(n, 2, 4_000, 3);
            ScreenshotDriver.launch(LaunchRequest.replay("synthetic " + n, () -> store).withSamplesDir(Path.of(args[0])),
                    vm -> {
                        Thread.sleep(3000);
                        FxThread.run(() -> vm.selection().select(n / 3));
                        System.out.println("SCREENSHOT READY");
                    });
            return;
        }
        String sample = System.getProperty("shot.sample");
        LaunchRequest r = LaunchRequest.guest(sample == null ? Guests.demo()
                : dev.vmscope.engine.machine.GuestSpec.resolve(Path.of(args[0], sample)).build());
        if (args.length > 0) {
            r = r.withSamplesDir(Path.of(args[0]));
        }
        boolean presenter = args.length > 1 && args[1].equals("presenter");
        ScreenshotDriver.launch(r, vm -> drive(vm, presenter));
    }

    private static void drive(MainViewModel vm, boolean presenter) throws InterruptedException {
        ScreenshotDriver.startGuest(vm);
        String at = System.getProperty("shot.runningMs");
        if (at != null) {                       // a screenshot while the guest runs
            Thread.sleep(Long.parseLong(at));
            System.out.println("SCREENSHOT READY");
            long t0 = System.nanoTime();
            var u = VmscopeApp.window().updater();
            long f0 = u.frames();
            long b0 = u.busyNanos();
            long e0 = vm.session().source().size();
            Thread.sleep(2000);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("while running: %.1f frames/s, %.2f ms of updates per frame, %.0f exits/s%n",
                    (u.frames() - f0) / secs, (u.busyNanos() - b0) / 1e6 / Math.max(1, u.frames() - f0),
                    (vm.session().source().size() - e0) / secs);
            return;
        }
        ScreenshotDriver.awaitFinished(vm);
        FxThread.run(() -> {
            var src = vm.session().source();
            long pick = 0;
            for (long s = src.size() / 3; s < src.size(); s++) {
                ExitRecord e = src.get(s);
                if (e.exit() instanceof KvmExit.Io io && io.out() && io.port() == 0x3F8 && io.value() > 0x40) {
                    pick = s;
                    break;
                }
            }
            vm.timeline().followProperty().set(true);
            vm.timeline().fitAll();
            vm.selection().select(pick);
            if (presenter) {
                vm.togglePresenter();
            }
            String tab = System.getProperty("shot.tab");
            if (tab != null) {
                var tabs = (javafx.scene.control.TabPane) VmscopeApp.window().root().lookup(".tab-pane");
                tabs.getTabs().stream().filter(t -> t.getText().equalsIgnoreCase(tab)).findFirst()
                        .ifPresent(t -> tabs.getSelectionModel().select(t));
            }
        });
        System.out.println("SCREENSHOT READY");
    }
}
