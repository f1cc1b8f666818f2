package org.karyo.accesses.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory tree index. */
class TreeTest {

    //        10            40
    //      /    \           |
    //    20      30        50
    //   /  \
    //  60   70
    private final Tree tree =
            Tree.build(new long[] {70, 10, 20, 30, 40, 50, 60}, new long[] {20, 0, 10, 10, 0, 40, 20});

    @Test
    void indexesNodesDenselyInIdOrder() {
        assertThat(tree.size()).isEqualTo(7);
        assertThat(tree.id(tree.index(10))).isEqualTo(10);
        assertThat(tree.index(11)).isEqualTo(-1);
        assertThat(tree.contains(60)).isTrue();
        assertThat(tree.allIds()).containsExactly(10, 20, 30, 40, 50, 60, 70);
    }

    @Test
    void knowsParentsChildrenAndRoots() {
        assertThat(tree.parentId(60)).isEqualTo(20);
        assertThat(tree.parentId(10)).isEqualTo(-1);
        assertThat(tree.parentId(999)).isEqualTo(-1);
        assertThat(ids(tree.roots())).containsExactly(10L, 40L);
        assertThat(ids(tree.children(tree.index(10)))).containsExactly(20L, 30L);
        assertThat(tree.children(tree.index(70))).isEmpty();
    }

    @Test
    void ancestorsAreRootFirst() {
        assertThat(tree.ancestorIds(tree.index(70))).containsExactly(10, 20);
        assertThat(tree.ancestorIds(tree.index(10))).isEmpty();
    }

    @Test
    void subtreesAreContiguousInPreOrder() {
        boolean[] marks = new boolean[tree.size()];
        tree.markSubtree(tree.index(20), marks);
        assertThat(tree.idsOf(marks)).containsExactly(20, 60, 70);
        assertThat(tree.isAncestorOrSelf(tree.index(10), tree.index(70))).isTrue();
        assertThat(tree.isAncestorOrSelf(tree.index(30), tree.index(70))).isFalse();
        assertThat(tree.isAncestorOrSelf(tree.index(40), tree.index(40))).isTrue();
    }

    @Test
    void marksAncestorsOnceAcrossCalls() {
        boolean[] marks = new boolean[tree.size()];
        boolean[] walked = new boolean[tree.size()];
        tree.markAncestors(tree.index(60), marks, walked);
        tree.markAncestors(tree.index(70), marks, walked);
        tree.markAncestors(tree.index(50), marks, walked);
        assertThat(tree.idsOf(marks)).containsExactly(10, 20, 40);
    }

    @Test
    void aNodeWhoseParentIsGoneIsARootAndACycleIsCut() {
        Tree orphan = Tree.build(new long[] {1, 2}, new long[] {0, 99});
        assertThat(ids(orphan, orphan.roots())).containsExactly(1L, 2L);
        Tree cycle = Tree.build(new long[] {1, 2, 3}, new long[] {2, 1, 1});
        assertThat(cycle.roots()).hasSize(1);
        boolean[] marks = new boolean[3];
        cycle.markSubtree(cycle.roots()[0], marks);
        assertThat(cycle.idsOf(marks)).containsExactlyInAnyOrder(1, 2, 3);
    }

    private List<Long> ids(int[] nodes) {
        return ids(tree, nodes);
    }

    private static List<Long> ids(Tree t, int[] nodes) {
        List<Long> out = new ArrayList<>();
        for (int n : nodes) {
            out.add(t.id(n));
        }
        return out;
    }
}
