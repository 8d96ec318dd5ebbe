/* Pointer chase: one random cycle through every 4 KiB page of the footprint, one 64-byte line
   per page (the line varies from page to page, so cache sets vary too). Each step is a
   dependent load from a new page: the TLB misses on nearly every step and no prefetcher helps.
   Usage: chase [FOOTPRINT [STEPS]]; FOOTPRINT default 256M, STEPS default 16 per page.
   STEPS = 0 stops after the set-up (the cycle built). Prints a checksum of the walk. */
#include "common.h"

static const char *const kUsage = "chase [FOOTPRINT (256M) [STEPS (16 per page)]]";

#define PAGE 4096u
#define LINE 64u

/* The address of page p's line in `base` (one line per page, chosen from p). */
static void **slot(char *base, uint64_t p) {
  return (void **)(base + p * PAGE + (mix64(p) % (PAGE / LINE)) * LINE);
}

int main(int argc, char **argv) {
  const uint64_t bytes = arg_size(argc, argv, 1, 256ULL << 20, kUsage);
  const uint64_t pages = bytes / PAGE > 1 ? bytes / PAGE : 2;
  const uint64_t steps = arg_count(argc, argv, 2, 16 * pages, kUsage);
  char *base = xmalloc(pages * PAGE);
  uint32_t *order = xmalloc(pages * sizeof *order);
  uint64_t seed = 2, i, sum = 0;
  void **p;
  /* Sattolo's algorithm: a random permutation that is one single cycle. */
  for (i = 0; i < pages; ++i) order[i] = (uint32_t)i;
  for (i = pages - 1; i > 0; --i) {
    const uint64_t j = rng_next(&seed) % i;
    const uint32_t t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for (i = 0; i < pages; ++i) *slot(base, i) = slot(base, order[i]);
  free(order);
  if (steps == 0) {
    printf("chase: set-up only (%llu pages)\n", (unsigned long long)pages);
    return 0;
  }
  p = slot(base, 0);
  for (i = 0; i < steps; ++i) {
    p = (void **)*p;
    sum += (uint64_t)((char *)p - base) >> 6;
  }
  printf("chase: %llu pages, %llu steps, checksum %016llx\n", (unsigned long long)pages,
         (unsigned long long)steps, (unsigned long long)sum);
  free(base);
  return 0;
}
