package dev.recstage.content.text;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.lucene.analysis.tokenattributes.CharTermAttributeImpl;
import org.apache.lucene.analysis.tokenattributes.FlagsAttributeImpl;
import org.apache.lucene.analysis.tokenattributes.OffsetAttributeImpl;
import org.apache.lucene.analysis.tokenattributes.PackedTokenAttributeImpl;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttributeImpl;
import org.apache.lucene.analysis.tokenattributes.PositionLengthAttributeImpl;
import org.apache.lucene.analysis.tokenattributes.TermFrequencyAttributeImpl;
import org.apache.lucene.analysis.tokenattributes.TypeAttributeImpl;

/**
 * Lucene creates attribute implementations through method handles found by class name; a native
 * image needs them registered. (Untested here: no GraalVM on the build machine.)
 */
@RegisterForReflection(targets = {PackedTokenAttributeImpl.class, CharTermAttributeImpl.class, OffsetAttributeImpl.class,
    PositionIncrementAttributeImpl.class, PositionLengthAttributeImpl.class, TypeAttributeImpl.class,
    TermFrequencyAttributeImpl.class, FlagsAttributeImpl.class})
final class LuceneNativeImage {
    private LuceneNativeImage() {
    }
}
