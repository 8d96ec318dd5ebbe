/* GUPS: random read-modify-write updates of a large table of 64-bit words (HPCC RandomAccess
   style, with splitmix64 instead of the LFSR). Every update touches a random page, so nearly
   every one misses the TLB.
   Usage: gups [FOOTPRINT [UPDATES]]; FOOTPRINT rounds down to a power of two (default 256M),
   UPDATES defaults to the number of table words. UPDATES = 0 stops after the set-up (the table
   filled), so a recorder can measure the set-up's length. Prints a checksum of the table. */
#include "common.h"

static const char *const kUsage = "gups [FOOTPRINT (256M) [UPDATES (table words)]]";

int main(int argc, char **argv) {
  const uint64_t bytes = floor_pow2(arg_size(argc, argv, 1, 256ULL << 20, kUsage));
  const uint64_t words = bytes / 8 ? bytes / 8 : 1, mask = words - 1;
  const uint64_t updates = arg_count(argc, argv, 2, words, kUsage);
  uint64_t *table = xmalloc(words * 8), seed = 1, sum = 0, i;
  for (i = 0; i < words; ++i) table[i] = i;
  if (updates == 0) {
    printf("gups: set-up only (%llu words)\n", (unsigned long long)words);
    return 0;
  }
  for (i = 0; i < updates; ++i) {
    const uint64_t r = rng_next(&seed);
    table[r & mask] ^= r;
  }
  for (i = 0; i < words; ++i) sum += table[i] * (i | 1);
  printf("gups: %llu words, %llu updates, checksum %016llx\n", (unsigned long long)words,
         (unsigned long long)updates, (unsigned long long)sum);
  free(table);
  return 0;
}
