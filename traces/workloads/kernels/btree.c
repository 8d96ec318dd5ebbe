/* B-tree lookups: a B+-tree of 512-byte nodes (up to 31 keys each), bulk-loaded with many
   increasing keys, then random lookups (half of them for keys in the tree). Each lookup walks
   root to leaf, a binary search per node; the leaves (most of the footprint) are hit at random.
   Usage: btree [FOOTPRINT [LOOKUPS]]; FOOTPRINT (the node pool) default 256M, LOOKUPS default
   4 per key leaf node. LOOKUPS = 0 stops after the set-up (the tree built).
   Prints the number of keys found and a checksum of their values. */
#include "common.h"

static const char *const kUsage = "btree [FOOTPRINT (256M) [LOOKUPS (4 per leaf)]]";

#define FANOUT 31
#define GAP 64 /* keys are i * GAP + (a random offset < GAP): increasing, with random gaps */

typedef struct {
  uint32_t n, leaf;
  uint64_t key[FANOUT];   /* sorted; in an inner node, the smallest key under each child */
  uint64_t value[FANOUT]; /* a leaf's values; an inner node's children (node indices) */
} Node;

static uint64_t key_of(uint64_t i) { return i * GAP + mix64(i) % GAP; }

/* Fills nodes [first, first + count) as the parents of nodes [below, below + children).
   Returns the number of parents (count). */
static uint64_t build_level(Node *pool, uint64_t first, uint64_t below, uint64_t children) {
  uint64_t count = 0, c;
  for (c = 0; c < children; c += FANOUT, ++count) {
    Node *p = &pool[first + count];
    uint32_t k;
    p->leaf = 0;
    p->n = (uint32_t)(children - c < FANOUT ? children - c : FANOUT);
    for (k = 0; k < p->n; ++k) {
      p->key[k] = pool[below + c + k].key[0];
      p->value[k] = below + c + k;
    }
  }
  return count;
}

/* Index of the last key <= x in node p (0 when x is below every key). */
static uint32_t search(const Node *p, uint64_t x) {
  uint32_t lo = 0, hi = p->n; /* answer in [lo, hi) */
  while (hi - lo > 1) {
    const uint32_t mid = (lo + hi) / 2;
    if (p->key[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* The value of key x, or 0 when the tree has no such key. */
static uint64_t lookup(const Node *pool, uint64_t root, uint64_t x) {
  const Node *p = &pool[root];
  while (!p->leaf) p = &pool[p->value[search(p, x)]];
  {
    const uint32_t k = search(p, x);
    return p->key[k] == x ? p->value[k] : 0;
  }
}

int main(int argc, char **argv) {
  const uint64_t bytes = arg_size(argc, argv, 1, 256ULL << 20, kUsage);
  const uint64_t capacity = bytes / sizeof(Node) > 64 ? bytes / sizeof(Node) : 64;
  /* Inner levels need about leaves / 30 nodes plus one per level: leave capacity / 16 + 4. */
  const uint64_t leaves = capacity - capacity / 16 - 4;
  const uint64_t keys = leaves * FANOUT;
  const uint64_t lookups = arg_count(argc, argv, 2, 4 * leaves, kUsage);
  Node *pool = xmalloc(capacity * sizeof *pool);
  uint64_t seed = 4, i, level = 0, width = leaves, next = leaves, found = 0, sum = 0;
  for (i = 0; i < keys; ++i) {
    Node *leaf = &pool[i / FANOUT];
    leaf->leaf = 1;
    leaf->n = (uint32_t)(i % FANOUT + 1);
    leaf->key[i % FANOUT] = key_of(i);
    leaf->value[i % FANOUT] = i + 1;
  }
  while (width > 1) { /* parents of [level, level + width) go at `next` */
    const uint64_t parents = build_level(pool, next, level, width);
    level = next;
    next += parents;
    width = parents;
  }
  if (lookups == 0) {
    printf("btree: set-up only (%llu keys, %llu nodes)\n", (unsigned long long)keys,
           (unsigned long long)next);
    return 0;
  }
  for (i = 0; i < lookups; ++i) {
    const uint64_t r = rng_next(&seed), k = (r >> 1) % keys;
    const uint64_t v = lookup(pool, level, (r & 1) ? key_of(k) : key_of(k) + 1);
    found += v != 0;
    sum += v;
  }
  printf("btree: %llu keys, %llu lookups, %llu found, checksum %016llx\n",
         (unsigned long long)keys, (unsigned long long)lookups, (unsigned long long)found,
         (unsigned long long)sum);
  free(pool);
  return 0;
}
