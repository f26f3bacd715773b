package dev.vmscope.app.ui.shot;

import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The window's scene as a PNG file. */
public final class PngExport {
    private PngExport() {
    }

    /** The scene as it is drawn now (FX thread). */
    public static WritableImage snapshot(Scene scene) {
        return scene.snapshot(null);
    }

    /** Writes {@code image} to {@code file} as PNG (any thread); replaces an existing file. */
    public static void write(Image image, Path file) throws IOException {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);   // the window is opaque
        out.setRGB(0, 0, w, h, argb, 0, w);
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        if (!ImageIO.write(out, "png", tmp.toFile())) {
            throw new IOException("no PNG writer in this Java runtime");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
