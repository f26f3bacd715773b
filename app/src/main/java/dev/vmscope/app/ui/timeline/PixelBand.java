package dev.vmscope.app.ui.timeline;

import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import java.util.Arrays;

/**
 * A reused ARGB pixel buffer the lane renderers paint dense columns into and draw as one image: a frame costs its
 * pixels, whatever the number of exits or events. FX thread only.
 */
final class PixelBand {
    private WritableImage image;
    private int[] pixels;

    /** The cleared buffer for a w × h band (row-major, premultiplied ARGB), reallocated only when the size changes. */
    int[] begin(int w, int h) {
        if (image == null || image.getWidth() != w || image.getHeight() != h) {
            image = new WritableImage(w, h);
            pixels = new int[w * h];
        }
        Arrays.fill(pixels, 0);
        return pixels;
    }

    /** Draws what was painted since {@link #begin} with its top left corner at (x, y). */
    void draw(GraphicsContext g, double x, double y) {
        int w = (int) image.getWidth();
        image.getPixelWriter().setPixels(0, 0, w, (int) image.getHeight(), PixelFormat.getIntArgbPreInstance(),
                pixels, 0, w);
        g.drawImage(image, x, y);
    }
}
