package dev.recstage.content.incremental;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What changed between the catalogue of a previous run and this one, matched by item id and told
 * apart by text hash: items kept unchanged (with their old and new index), changed (same id, other
 * text), new and removed. Changed items count both as gone (their old scores are stale) and as dirty
 * (their new row must be scored).
 */
public final class CatalogueChanges {
    private final int[] newOfOld;
    private final int[] oldOfNew;
    private final boolean[] gone;
    private final boolean[] dirty;
    private final int added;
    private final int changed;
    private final int removed;
    private final boolean orderKept;

    private CatalogueChanges(int[] newOfOld, int[] oldOfNew, boolean[] gone, boolean[] dirty, int added, int changed, int removed,
                             boolean orderKept) {
        this.newOfOld = newOfOld;
        this.oldOfNew = oldOfNew;
        this.gone = gone;
        this.dirty = dirty;
        this.added = added;
        this.changed = changed;
        this.removed = removed;
        this.orderKept = orderKept;
    }

    public static CatalogueChanges between(ItemTextHashes.Catalogue before, ItemTextHashes.Catalogue after) {
        Map<String, Integer> indexOfNew = new HashMap<>(after.size() * 4 / 3 + 1);
        for (int i = 0; i < after.size(); i++) {
            indexOfNew.put(after.ids()[i], i);
        }
        int[] newOfOld = new int[before.size()];
        int[] oldOfNew = new int[after.size()];
        Arrays.fill(oldOfNew, -1);
        boolean[] gone = new boolean[before.size()];
        boolean[] dirty = new boolean[after.size()];
        int changed = 0;
        int removed = 0;
        int lastKept = -1;
        boolean orderKept = true;
        for (int o = 0; o < before.size(); o++) {
            Integer n = indexOfNew.get(before.ids()[o]);
            if (n == null) {
                newOfOld[o] = -1;
                gone[o] = true;
                removed++;
            } else if (before.hashes()[o] != after.hashes()[n]) {
                newOfOld[o] = -1;
                gone[o] = true;
                dirty[n] = true;
                oldOfNew[n] = o;
                changed++;
            } else {
                newOfOld[o] = n;
                oldOfNew[n] = o;
                orderKept &= n > lastKept;
                lastKept = n;
            }
        }
        int added = 0;
        for (int n = 0; n < after.size(); n++) {
            if (oldOfNew[n] < 0) {
                dirty[n] = true;
                added++;
            } else if (dirty[n]) {
                oldOfNew[n] = -1; // a changed item's old row is not its row any more
            }
        }
        return new CatalogueChanges(newOfOld, oldOfNew, gone, dirty, added, changed, removed, orderKept);
    }

    /** The new index of an old item kept unchanged, else -1. */
    public int newOfOld(int oldIndex) {
        return newOfOld[oldIndex];
    }

    /** The old index of a new item kept unchanged, else -1. */
    public int oldOfNew(int newIndex) {
        return oldOfNew[newIndex];
    }

    /** Whether an old item's scores are stale: removed or changed. */
    public boolean gone(int oldIndex) {
        return gone[oldIndex];
    }

    /** Whether a new item needs its row scored: new or changed. */
    public boolean dirty(int newIndex) {
        return dirty[newIndex];
    }

    public int oldItems() {
        return newOfOld.length;
    }

    public int newItems() {
        return oldOfNew.length;
    }

    public int added() {
        return added;
    }

    public int changed() {
        return changed;
    }

    public int removed() {
        return removed;
    }

    /**
     * Whether the unchanged items keep their relative order. The engine breaks score ties by item
     * index, so previous lists carry over only when it does (a reordered items file: full run).
     */
    public boolean orderKept() {
        return orderKept;
    }
}
