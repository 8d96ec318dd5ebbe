/* Shared helpers of the workload kernels (plain C99, no POSIX): a fixed-seed PRNG, size and
   count arguments, checked allocation. Every kernel is deterministic: the same arguments give
   the same accesses (up to the addresses malloc returns) and the same checksum everywhere. */
#ifndef NPTSIM_KERNELS_COMMON_H
#define NPTSIM_KERNELS_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* splitmix64: the kernels' PRNG; *state starts at a fixed seed. */
static inline uint64_t rng_next(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* A bijective mix of 64-bit values (splitmix64's finaliser): distinct inputs, distinct outputs. */
static inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Prints the kernel's usage and exits with status 2. */
static inline void usage_exit(const char *usage, const char *what, const char *arg) {
  fprintf(stderr, "bad %s '%s'\nusage: %s\n", what, arg, usage);
  exit(2);
}

/* argv[i] as a byte size: decimal digits with an optional K, M or G (binary units, optionally
   followed by "iB" or "B"); `dflt` when the argument is absent. Exits 2 on anything else. */
static inline uint64_t arg_size(int argc, char **argv, int i, uint64_t dflt, const char *usage) {
  const char *s, *p;
  uint64_t v = 0, unit = 1;
  if (i >= argc) return dflt;
  s = p = argv[i];
  if (*p < '0' || *p > '9') usage_exit(usage, "size", s);
  for (; *p >= '0' && *p <= '9'; ++p) {
    if (v > (UINT64_MAX - 9) / 10) usage_exit(usage, "size", s);
    v = v * 10 + (uint64_t)(*p - '0');
  }
  if (*p == 'K' || *p == 'k') unit = 1ULL << 10;
  if (*p == 'M' || *p == 'm') unit = 1ULL << 20;
  if (*p == 'G' || *p == 'g') unit = 1ULL << 30;
  if (unit != 1) {
    ++p;
    if (p[0] == 'i' && p[1] == 'B')
      p += 2;
    else if (p[0] == 'B')
      p += 1;
  }
  if (*p != 0 || v == 0 || v > UINT64_MAX / unit) usage_exit(usage, "size", s);
  return v * unit;
}

/* argv[i] as a count (decimal digits, 0 allowed); `dflt` when absent. Exits 2 on anything else. */
static inline uint64_t arg_count(int argc, char **argv, int i, uint64_t dflt, const char *usage) {
  const char *p;
  uint64_t v = 0;
  if (i >= argc) return dflt;
  p = argv[i];
  if (*p == 0) usage_exit(usage, "count", argv[i]);
  for (; *p; ++p) {
    if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10) usage_exit(usage, "count", argv[i]);
    v = v * 10 + (uint64_t)(*p - '0');
  }
  return v;
}

/* malloc that exits with a message instead of returning NULL. */
static inline void *xmalloc(uint64_t bytes) {
  void *p = bytes == (size_t)bytes ? malloc((size_t)bytes) : NULL;
  if (!p) {
    fprintf(stderr, "cannot allocate %llu bytes\n", (unsigned long long)bytes);
    exit(1);
  }
  return p;
}

/* The largest power of two <= v (v > 0). */
static inline uint64_t floor_pow2(uint64_t v) {
  uint64_t p = 1;
  while (p <= v / 2) p *= 2;
  return p;
}

#endif
