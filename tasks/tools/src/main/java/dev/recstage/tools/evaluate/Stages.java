package dev.recstage.tools.evaluate;

/** The pipeline's stage names as the launcher takes them, and the file evaluate reads back. */
final class Stages {
    static final String FEATURES = "features";
    static final String CONTENT = "content-similarity";
    static final String BEHAVIOR = "behavior-cooccurrence";
    static final String RECOMMEND = "recommend";
    static final String USER_RECOMMENDATIONS_FILE = "user_recommendations.arrow";

    private Stages() {
    }
}
