package dev.vmscope.app.ui.tools;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.LaunchRequest;
import dev.vmscope.app.ui.VmscopeApp;
import dev.vmscope.app.ui.main.MainViewModel;
import dev.vmscope.app.ui.vmcs.ExitDetails;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.machine.GuestSpec;

import java.nio.file.Path;

/**
 * Opens the real window on a sample (live on /dev/kvm), runs it to the end and selects an OUT to the UART whose
 * vCPU did something different just before (so the VMCS inspector has changed fields to mark), for screenshots of the
 * explanation and VMCS panes: {@code xvfb-run -a -s "-screen 0 1600x1000x24" java
 * -Djava.util.prefs.userRoot=/tmp/prefs -cp … VmcsScreenshot SAMPLES_DIR [SAMPLE] [presenter]}, then
 * {@code import -window root shot.png} once it prints SCREENSHOT READY. {@code docs/screenshot-vmcs.png} is
 * {@code mbkernel}: exit #7, an OUT to the UART right after an IN from its line-status register, with
 * EXIT_QUALIFICATION selected ({@code -Dshot.field=NAME} picks another field).
 */
public final class VmcsScreenshot {
    private VmcsScreenshot() {
    }

    public static void main(String[] args) {
        Path samples = Path.of(args[0]);
        String sample = args.length > 1 ? args[1] : "hello";
        boolean presenter = args.length > 2 && args[2].equals("presenter");
        LaunchRequest r = LaunchRequest.guest(GuestSpec.resolve(samples.resolve(sample)).build()).withSamplesDir(samples);
        ScreenshotDriver.launch(r, vm -> drive(vm, presenter));
    }

    private static void drive(MainViewModel vm, boolean presenter) throws InterruptedException {
        ScreenshotDriver.startGuest(vm);
        ScreenshotDriver.awaitFinished(vm);
        FxThread.run(() -> {
            var src = vm.session().source();
            long pick = -1;
            long any = -1;
            for (long s = 0; s < src.size() && pick < 0; s++) {
                ExitRecord e = src.get(s);
                if (e.exit() instanceof KvmExit.Io io && io.out() && io.port() == 0x3F8 && io.value() > 0x40) {
                    any = any < 0 ? s : any;
                    long p = src.columns().previousOfSameVcpu(s);
                    if (p >= 0 && ExitDetails.of(e, null, src.get(p), null, false).changed().size() >= 3) {
                        pick = s;
                    }
                }
            }
            vm.timeline().followProperty().set(true);
            vm.timeline().fitAll();
            vm.selection().select(pick >= 0 ? pick : any);
            if (presenter) {
                vm.togglePresenter();
            }
        });
        Thread.sleep(1500);
        FxThread.run(() -> {         // a field selected: the detail line under the table reads it out
            var tree = VmscopeApp.window().exitDetails().vmcs().tree();
            for (int i = 0; i < tree.getExpandedItemCount(); i++) {
                var item = tree.getTreeItem(i).getValue();
                if (!item.isGroup() && item.row().name().equals(System.getProperty("shot.field",
                        "EXIT_QUALIFICATION"))) {
                    tree.getSelectionModel().select(i);
                }
            }
        });
        Thread.sleep(500);
        System.out.println("SCREENSHOT READY");
    }
}
