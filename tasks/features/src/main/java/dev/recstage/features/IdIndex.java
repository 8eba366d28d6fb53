package dev.recstage.features;

import java.util.Arrays;

/**
 * Distinct ids to dense indices 0..n-1 in the order they were added. Every interaction row looks
 * up two ids, so the lookup is what counts: open addressing over primitive arrays, the ids' chars
 * in one array, touches three arrays where a {@code HashMap<String, Integer>} touches its table, a
 * node, the key, the key's bytes and the boxed value, each a cache miss on a large map.
 */
final class IdIndex {
    /** Per slot: the id's hash code in the high half, its index + 1 in the low half; 0 is empty. */
    private long[] slots;
    /** The ids' chars, one after the other; id i ends at {@code ends[i]}. */
    private char[] chars;
    private int[] ends;
    private int size;

    IdIndex() {
        clear();
    }

    /** The index of {@code id}, or -1 when it was not added. */
    int indexOf(String id) {
        int hash = id.hashCode();
        int mask = slots.length - 1;
        for (int slot = spread(hash) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            long entry = slots[slot];
            int index = (int) entry - 1;
            if ((int) (entry >>> 32) == hash && matches(index, id)) {
                return index;
            }
        }
        return -1;
    }

    /** The index of {@code id}, the next free one when it is new. */
    int add(String id) {
        int known = indexOf(id);
        if (known >= 0) {
            return known;
        }
        if (2 * (size + 1) > slots.length) {
            rehash(slots.length * 2);
        }
        int start = start(size);
        if (start + id.length() > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(chars.length * 2, start + id.length()));
        }
        id.getChars(0, id.length(), chars, start);
        if (size == ends.length) {
            ends = Arrays.copyOf(ends, size * 2);
        }
        ends[size] = start + id.length();
        insert(id.hashCode(), size);
        return size++;
    }

    String id(int index) {
        int start = start(index);
        return new String(chars, start, ends[index] - start);
    }

    int size() {
        return size;
    }

    /** Heap bytes of its arrays as they are now (their capacities, not just the ids held). */
    long bytes() {
        return 8L * slots.length + 2L * chars.length + 4L * ends.length;
    }

    /** Drops the ids so that their memory can be reclaimed; the index is empty afterwards. */
    void clear() {
        slots = new long[1 << 4];
        chars = new char[1 << 6];
        ends = new int[1 << 3];
        size = 0;
    }

    private int start(int index) {
        return index == 0 ? 0 : ends[index - 1];
    }

    private boolean matches(int index, String id) {
        int start = start(index);
        if (ends[index] - start != id.length()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (chars[start + i] != id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void rehash(int capacity) {
        long[] old = slots;
        slots = new long[capacity];
        for (long entry : old) {
            if (entry != 0) {
                insert(entry);
            }
        }
    }

    private void insert(int hash, int index) {
        insert(((long) hash << 32) | (index + 1L));
    }

    private void insert(long entry) {
        int mask = slots.length - 1;
        int slot = spread((int) (entry >>> 32)) & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = entry;
    }

    /** String hash codes of similar ids differ in few low bits; a multiplicative mix spreads them over the table. */
    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
