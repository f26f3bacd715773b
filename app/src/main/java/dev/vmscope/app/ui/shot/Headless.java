package dev.vmscope.app.ui.shot;

/**
 * Renders the window without a display: JavaFX's Monocle glass with its headless screen and the software
 * pipeline, set before the toolkit starts. A screenshot always renders this way, so the picture is the same on a
 * desktop, over ssh and in CI.
 */
public final class Headless {
    private static final String MONOCLE = "com.sun.glass.ui.monocle.MonoclePlatformFactory";

    private Headless() {
    }

    /**
     * Selects the headless screen of {@code width}×{@code height}; false when Monocle is not on the class path
     * (the window then needs a display).
     */
    public static boolean configure(int width, int height) {
        try {
            Class.forName(MONOCLE, false, Headless.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("headless.geometry", width + "x" + height + "-32");
        System.setProperty("java.awt.headless", "true");
        return true;
    }
}
