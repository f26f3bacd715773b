package dev.vmscope.engine.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why an I/O operation failed, in words. NIO's file exceptions carry only the path as their message
 * ("cannot write /x/y.csv: /x/y.csv"), so the cause is read from their type and reason instead.
 */
public final class IoErrors {
    private IoErrors() {
    }

    /** The cause of {@code e} without the file name the caller already prints, e.g. "permission denied". */
    public static String cause(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) {
                return f.getReason().toLowerCase(java.util.Locale.ROOT);
            }
            String kind = f instanceof NoSuchFileException ? "no such file or directory"
                    : f instanceof AccessDeniedException ? "permission denied"
                    : f instanceof NotDirectoryException ? "not a directory"
                    : f instanceof FileAlreadyExistsException ? "it already exists"
                    : f instanceof DirectoryNotEmptyException ? "the directory is not empty"
                    : f.getClass().getSimpleName();
            return f.getOtherFile() == null ? kind : kind + " (" + f.getOtherFile() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
