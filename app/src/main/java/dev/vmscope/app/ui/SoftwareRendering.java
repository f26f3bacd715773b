package dev.vmscope.app.ui;

/**
 * Settings for JavaFX's software renderer ({@code prism.order=sw}: screenshots, the tests, the benchmarks, hosts
 * without a GPU), made before the toolkit starts.
 *
 * <p>JavaFX draws a region whose background has several fills (a table row, a button, a scroll bar) from a cached
 * image stretched in nine slices. On a GPU that is one textured quad; in software it is a scaled image draw per
 * pixel, and in a flight recording of the window it was nearly all of the render thread's time (3,799 of 3,955
 * native samples in {@code PiscesRenderer.drawImage} under {@code NGRegion.renderBackgroundRectangleFromCache}),
 * making every frame that redraws the exit list cost 50–100 ms. Filling the rectangles directly costs a few memory
 * writes per pixel, so the cache is turned off where the software renderer is asked for (unless set already).
 */
public final class SoftwareRendering {
    static final String REGION_CACHING = "prism.disableRegionCaching";

    private SoftwareRendering() {
    }

    /** Call before the toolkit starts; does nothing unless the software renderer is the one asked for. */
    public static void tune() {
        if ("sw".equals(System.getProperty("prism.order")) && System.getProperty(REGION_CACHING) == null) {
            System.setProperty(REGION_CACHING, "true");
        }
    }
}
