package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JfrSummaryTest {

    @Test
    void aSampleInAVarHandleCountsForTheCodeThatCalledIt() {
        assertEquals("com.sun.crypto.provider.GHASH.processBlocks", JfrSummary.attributed(List.of(
                "java.lang.invoke.VarHandleByteArrayAsLongs$ArrayHandle.index",
                "java.lang.invoke.VarHandleGuards.guard_LI_J",
                "com.sun.crypto.provider.GHASH.processBlocks")));
    }

    @Test
    void copiesAndOrdinaryFramesCountForThemselves() {
        assertEquals("jdk.internal.misc.Unsafe.copyMemory", JfrSummary.attributed(List.of(
                "jdk.internal.misc.Unsafe.copyMemory", "java.nio.DirectByteBuffer.put")));
        assertEquals("sun.nio.ch.IOUtil.write", JfrSummary.attributed(List.of("sun.nio.ch.IOUtil.write")));
    }
}
