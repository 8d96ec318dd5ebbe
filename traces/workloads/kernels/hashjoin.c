/* Hash join: builds an open-addressing hash table (linear probing, 16-byte slots, load 1/2) of
   a relation R of (key, payload) tuples, then probes it with every tuple of a relation S (half
   of S's keys are in R). Building writes and probing reads random slots of a table of half the
   footprint. Footprint split: R 1/4, hash table 1/2, S 1/4.
   Usage: hashjoin [FOOTPRINT [PROBES]]; FOOTPRINT default 256M, PROBES default |S| (repeating
   S as needed). PROBES = 0 stops after the set-up (R and S generated, the table built).
   Prints the number of matches and a checksum of their payloads. */
#include "common.h"

static const char *const kUsage = "hashjoin [FOOTPRINT (256M) [PROBES (|S|)]]";

typedef struct {
  uint64_t key, payload;
} Tuple;

/* Slot of `key` in a table of mask + 1 slots; key 0 marks an empty slot. */
static uint64_t home(uint64_t key, uint64_t mask) { return mix64(key ^ 0x5bd1e995ULL) & mask; }

static void insert(Tuple *ht, uint64_t mask, Tuple t) {
  uint64_t s = home(t.key, mask);
  while (ht[s].key != 0) s = (s + 1) & mask;
  ht[s] = t;
}

/* The payload of `key`, or 0 when R has no such key. */
static uint64_t probe(const Tuple *ht, uint64_t mask, uint64_t key) {
  uint64_t s = home(key, mask);
  for (; ht[s].key != 0; s = (s + 1) & mask) {
    if (ht[s].key == key) return ht[s].payload;
  }
  return 0;
}

int main(int argc, char **argv) {
  const uint64_t bytes = arg_size(argc, argv, 1, 256ULL << 20, kUsage);
  const uint64_t slots = floor_pow2(bytes / 2 / sizeof(Tuple) > 2 ? bytes / 2 / sizeof(Tuple) : 2);
  const uint64_t n = slots / 2, mask = slots - 1; /* |R| = |S| = n */
  const uint64_t probes = arg_count(argc, argv, 2, n, kUsage);
  Tuple *r = xmalloc(n * sizeof *r), *s = xmalloc(n * sizeof *s), *ht = xmalloc(slots * sizeof *ht);
  uint64_t seed = 3, i, matches = 0, sum = 0;
  for (i = 0; i < n; ++i) { /* distinct non-zero keys: a bijection of 2i + 1 */
    r[i].key = mix64(2 * i + 1) | 1;
    r[i].payload = rng_next(&seed) | 1; /* non-zero: 0 means "no match" */
  }
  for (i = 0; i < n; ++i) { /* half hits (a random key of R), half misses (even keys) */
    const uint64_t x = rng_next(&seed);
    s[i].key = (x & 1) ? r[(x >> 1) % n].key : (x & ~1ULL) | 2;
    s[i].payload = i;
  }
  for (i = 0; i < slots; ++i) ht[i].key = ht[i].payload = 0;
  for (i = 0; i < n; ++i) insert(ht, mask, r[i]);
  if (probes == 0) {
    printf("hashjoin: set-up only (|R| = |S| = %llu)\n", (unsigned long long)n);
    return 0;
  }
  for (i = 0; i < probes; ++i) {
    const uint64_t p = probe(ht, mask, s[i % n].key);
    matches += p != 0;
    sum += p;
  }
  printf("hashjoin: |R| = |S| = %llu, %llu probes, %llu matches, checksum %016llx\n",
         (unsigned long long)n, (unsigned long long)probes, (unsigned long long)matches,
         (unsigned long long)sum);
  free(ht);
  free(s);
  free(r);
  return 0;
}
