package dev.vmscope.engine.trace;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The kept code pages stay bounded, and the first copy of a page wins. */
class CodePagesTest {
    @Test
    void pagesPastTheBoundAreCountedNotKept() {
        CodePages pages = new CodePages();
        byte[] bytes = new byte[CodePage.SIZE];            // shared: the bound is about count, not this test's heap
        for (int i = 0; i < CodePages.MAX_PAGES + 5; i++) {
            pages.add(new CodePage(0x1000L * (i % 3), i, i, bytes));
        }
        assertThat(pages.size()).isEqualTo(CodePages.MAX_PAGES);
        assertThat(pages.refused()).isEqualTo(5);
    }

    @Test
    void theFirstCopyOfAPageWins() {
        CodePages pages = new CodePages();
        byte[] first = new byte[CodePage.SIZE];
        first[0] = 1;
        assertThat(pages.add(new CodePage(CodePage.NO_PAGING, 7, 10, first))).isTrue();
        assertThat(pages.add(new CodePage(CodePage.NO_PAGING, 7, 20, new byte[CodePage.SIZE]))).isFalse();
        assertThat(pages.all()).singleElement().extracting(CodePage::seq).isEqualTo(10L);
        assertThat(pages.contains(CodePage.NO_PAGING, 7)).isTrue();
        assertThat(pages.contains(0x1000, 7)).as("another address space").isFalse();
    }
}
