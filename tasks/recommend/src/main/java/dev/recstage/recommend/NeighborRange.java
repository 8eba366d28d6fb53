package dev.recstage.recommend;

/** Neighbour indexes {@code [from, to)}: the part of the lists one recommend pass holds. */
record NeighborRange(int from, int to) {
    static NeighborRange all(int items) {
        return new NeighborRange(0, items);
    }

    boolean contains(int neighbor) {
        return neighbor >= from && neighbor < to;
    }
}
