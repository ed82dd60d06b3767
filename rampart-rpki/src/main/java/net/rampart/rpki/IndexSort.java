package net.rampart.rpki;

/**
 * Stable merge sort of an index array by a comparator over indices, without boxing:
 * column-wise sets sort a million entries this way in a fraction of a second.
 */
final class IndexSort {

    @FunctionalInterface
    interface IndexComparator {
        int compare(int i, int j);
    }

    private IndexSort() {
    }

    static void sort(int[] a, IndexComparator cmp) {
        int[] buf = new int[a.length];
        int[] src = a;
        int[] dst = buf;
        for (int width = 1; width < a.length; width *= 2) {
            for (int lo = 0; lo < a.length; lo += 2 * width) {
                int mid = Math.min(lo + width, a.length);
                int hi = Math.min(lo + 2 * width, a.length);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    dst[k++] = cmp.compare(src[i], src[j]) <= 0 ? src[i++] : src[j++];
                }
                while (i < mid) {
                    dst[k++] = src[i++];
                }
                while (j < hi) {
                    dst[k++] = src[j++];
                }
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        if (src != a) {
            System.arraycopy(src, 0, a, 0, a.length);
        }
    }
}
