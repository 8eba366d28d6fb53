package dev.recstage.tools.generate;

/**
 * What the interactions and embeddings need to know of the generated items: their ids, topics,
 * creation times and, for an edition of another item, that item ({@code origin}, else itself).
 */
record ItemCatalog(String[] ids, int[] topic, long[] createTime, int[] origin, int chineseTitles) {
    int size() {
        return ids.length;
    }
}
