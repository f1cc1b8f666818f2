package org.karyo.accesses.impl.internal;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * An immutable in-memory index of the live perimeter tree, built once per change: nodes are numbered densely
 * (0..size-1, in id order); each has its parent, its children, and its interval in a pre-order walk, so that "is A an
 * ancestor of B" and "every node under A" cost no database round trip. A node whose parent is missing (soft-deleted)
 * is treated as a root.
 */
final class Tree {

    static final Tree EMPTY = build(new long[0], new long[0]);

    private final long[] ids; // sorted, dense index -> id
    private final int[] parent; // -1 for roots
    private final int[] childStart; // CSR: children of n are childList[childStart[n] .. childStart[n+1])
    private final int[] childList;
    private final int[] pre; // pre-order position of a node
    private final int[] last; // exclusive end of its subtree in pre-order
    private final int[] order; // pre-order position -> node
    private final int[] roots;

    private Tree(long[] ids, int[] parent) {
        int n = ids.length;
        this.ids = ids;
        this.parent = parent;
        int[] counts = new int[n + 1];
        int rootCount = 0;
        for (int i = 0; i < n; i++) {
            if (parent[i] >= 0) {
                counts[parent[i] + 1]++;
            } else {
                rootCount++;
            }
        }
        for (int i = 0; i < n; i++) {
            counts[i + 1] += counts[i];
        }
        this.childStart = counts;
        this.childList = new int[childStart[n]];
        int[] fill = Arrays.copyOf(childStart, n);
        this.roots = new int[rootCount];
        int r = 0;
        for (int i = 0; i < n; i++) { // ascending: children lists and roots come out in id order
            if (parent[i] >= 0) {
                childList[fill[parent[i]]++] = i;
            } else {
                roots[r++] = i;
            }
        }
        this.pre = new int[n];
        this.last = new int[n];
        this.order = new int[n];
        int position = 0;
        Deque<int[]> stack = new ArrayDeque<>();
        for (int root : roots) {
            stack.push(new int[] {root, 0});
            pre[root] = position;
            order[position++] = root;
            while (!stack.isEmpty()) {
                int[] top = stack.peek();
                int node = top[0];
                int next = childStart[node] + top[1];
                if (next < childStart[node + 1]) {
                    top[1]++;
                    int child = childList[next];
                    pre[child] = position;
                    order[position++] = child;
                    stack.push(new int[] {child, 0});
                } else {
                    last[node] = position;
                    stack.pop();
                }
            }
        }
    }

    /**
     * Builds the index.
     *
     * @param ids node ids
     * @param parentIds the parent id of each node, {@code 0} for none
     */
    static Tree build(long[] ids, long[] parentIds) {
        int n = ids.length;
        long[][] pairs = new long[n][];
        for (int i = 0; i < n; i++) {
            pairs[i] = new long[] {ids[i], parentIds[i]};
        }
        Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
        long[] sorted = new long[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = pairs[i][0];
        }
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            long p = pairs[i][1];
            parent[i] = p == 0 ? -1 : Arrays.binarySearch(sorted, p);
            if (parent[i] < 0) {
                parent[i] = -1;
            }
        }
        // a cycle (impossible through the service) would hide nodes from every walk: cut it at the smallest id
        int[] state = new int[n];
        for (int i = 0; i < n; i++) {
            int j = i;
            while (j >= 0 && state[j] == 0) {
                state[j] = i + 1;
                j = parent[j];
            }
            if (j >= 0 && state[j] == i + 1) {
                parent[j] = -1;
            }
        }
        return new Tree(sorted, parent);
    }

    int size() {
        return ids.length;
    }

    /** The dense index of a perimeter id, or -1 when it is not a live node. */
    int index(long id) {
        int i = Arrays.binarySearch(ids, id);
        return i < 0 ? -1 : i;
    }

    long id(int node) {
        return ids[node];
    }

    boolean contains(long id) {
        return index(id) >= 0;
    }

    int parent(int node) {
        return parent[node];
    }

    /** The parent id of a live node, or -1 (a root or an unknown id). */
    long parentId(long id) {
        int i = index(id);
        return i < 0 || parent[i] < 0 ? -1 : ids[parent[i]];
    }

    int[] roots() {
        return roots.clone();
    }

    int[] children(int node) {
        return Arrays.copyOfRange(childList, childStart[node], childStart[node + 1]);
    }

    /** Whether {@code a} is {@code b} or one of its ancestors (dense indices). */
    boolean isAncestorOrSelf(int a, int b) {
        return pre[a] <= pre[b] && pre[b] < last[a];
    }

    /** The pre-order position of a node. */
    int pre(int node) {
        return pre[node];
    }

    /** The exclusive end of a node's subtree in pre-order. */
    int last(int node) {
        return last[node];
    }

    /** The node at a pre-order position. */
    int atPre(int position) {
        return order[position];
    }

    /** Ids of every live node. */
    long[] allIds() {
        return ids.clone();
    }

    /** Marks a node's whole subtree. */
    void markSubtree(int node, boolean[] marks) {
        for (int p = pre[node]; p < last[node]; p++) {
            marks[order[p]] = true;
        }
    }

    /**
     * Marks every strict ancestor of a node. {@code walked} remembers the nodes whose ancestors are already marked, so
     * that many calls cost each node once.
     */
    void markAncestors(int node, boolean[] marks, boolean[] walked) {
        for (int p = parent[node]; p >= 0 && !walked[p]; p = parent[p]) {
            walked[p] = true;
            marks[p] = true;
        }
    }

    /** Ids of the marked nodes, ascending. */
    long[] idsOf(boolean[] marks) {
        int count = 0;
        for (boolean m : marks) {
            if (m) {
                count++;
            }
        }
        long[] out = new long[count];
        int j = 0;
        for (int i = 0; i < marks.length; i++) {
            if (marks[i]) {
                out[j++] = ids[i];
            }
        }
        return out;
    }

    /** The ids of a node's strict ancestors, root first. */
    long[] ancestorIds(int node) {
        int depth = 0;
        for (int p = parent[node]; p >= 0; p = parent[p]) {
            depth++;
        }
        long[] out = new long[depth];
        for (int p = parent[node]; p >= 0; p = parent[p]) {
            out[--depth] = ids[p];
        }
        return out;
    }
}
