package dev.recstage.content.vector;

/**
 * How the blended content score combines the two channels:
 * {@code (float) (text · textScore + vector · vectorScore)}, computed in double, where textScore
 * is the engine's canonical TF-IDF cosine and vectorScore the embedding cosine.
 */
public record BlendWeights(double text, double vector) {

    float blend(float textScore, float vectorScore) {
        return (float) (text * textScore + vector * vectorScore);
    }
}
