package dev.recstage.recommend;

/** Receives each user's finished list, in user order. */
@FunctionalInterface
interface UserListSink {
    /**
     * @param items   the list's items in {@code [offset, offset + count)}, best first
     * @param because per item, the history item that contributed most (unused when {@code popular})
     * @param popular true when the user had no usable history and got the recent-popularity list
     */
    void accept(int user, int[] items, float[] scores, int[] because, int offset, int count, boolean popular);
}
