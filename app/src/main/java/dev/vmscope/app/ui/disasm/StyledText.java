package dev.vmscope.app.ui.disasm;

import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Turns highlighter spans (sorted, not overlapping) into RichTextFX style spans covering the whole text. */
public final class StyledText {
    private StyledText() {
    }

    public static StyleSpans<Collection<String>> spans(String text, List<AsmHighlighter.Span> spans) {
        StyleSpansBuilder<Collection<String>> b = new StyleSpansBuilder<>();
        int at = 0;
        for (AsmHighlighter.Span s : spans) {
            if (s.start() > at) {
                b.add(Collections.emptyList(), s.start() - at);
            }
            b.add(Collections.singleton(s.styleClass()), s.end() - s.start());
            at = s.end();
        }
        b.add(Collections.emptyList(), Math.max(0, text.length() - at));
        return b.create();
    }
}
