/* BFS over a random graph in CSR form: n vertices, 8 n directed edges with random endpoints
   (built by counting sort from a regenerated edge stream), then breadth-first searches from
   vertex 0, 1, ... Each visited vertex reads its random offsets entry and edge run, and each
   edge reads the level of a random vertex: random accesses over the whole footprint.
   Footprint per vertex: 4 (offset) + 32 (edges) + 4 (level) + 4 (queue) bytes.
   Usage: bfs [FOOTPRINT [SEARCHES]]; FOOTPRINT default 256M, SEARCHES default 1.
   SEARCHES = 0 stops after the set-up (the graph built).
   Prints the vertices reached and a checksum of their levels. */
#include "common.h"

static const char *const kUsage = "bfs [FOOTPRINT (256M) [SEARCHES (1)]]";

#define DEGREE 8

/* The graph: the edges of vertex v are edge[offset[v] .. offset[v + 1]). */
typedef struct {
  uint32_t n;
  uint32_t *offset, *edge;
} Graph;

/* The next random edge of the stream `seed` (restarting the seed replays the same edges). */
static void edge_at(uint64_t *seed, uint32_t n, uint32_t *src, uint32_t *dst) {
  const uint64_t r = rng_next(seed);
  *src = (uint32_t)((r & 0xffffffffULL) % n);
  *dst = (uint32_t)((r >> 32) % n);
}

/* Builds the CSR by counting sort; `fill` (n entries) is scratch space. */
static void build(Graph *g, uint32_t *fill) {
  const uint64_t m = (uint64_t)DEGREE * g->n;
  uint64_t seed = 5, i;
  uint32_t v, src, dst;
  for (v = 0; v <= g->n; ++v) g->offset[v] = 0;
  for (i = 0; i < m; ++i) {
    edge_at(&seed, g->n, &src, &dst);
    ++g->offset[src + 1];
  }
  for (v = 0; v < g->n; ++v) {
    g->offset[v + 1] += g->offset[v];
    fill[v] = g->offset[v];
  }
  seed = 5;
  for (i = 0; i < m; ++i) {
    edge_at(&seed, g->n, &src, &dst);
    g->edge[fill[src]++] = dst;
  }
}

/* BFS from `root` over levels all 0: level[v] = distance + 1 (0 = unreached). Returns the
   vertices reached and adds their levels to *sum. */
static uint64_t bfs(const Graph *g, uint32_t root, uint32_t *level, uint32_t *queue,
                    uint64_t *sum) {
  uint64_t head = 0, tail = 0;
  level[root] = 1;
  queue[tail++] = root;
  while (head < tail) {
    const uint32_t u = queue[head++];
    uint32_t e;
    *sum += level[u];
    for (e = g->offset[u]; e < g->offset[u + 1]; ++e) {
      const uint32_t w = g->edge[e];
      if (level[w] == 0) {
        level[w] = level[u] + 1;
        queue[tail++] = w;
      }
    }
  }
  return tail;
}

int main(int argc, char **argv) {
  const uint64_t bytes = arg_size(argc, argv, 1, 256ULL << 20, kUsage);
  const uint64_t n64 = bytes / (4 + 4 * DEGREE + 4 + 4);
  const uint64_t searches = arg_count(argc, argv, 2, 1, kUsage);
  Graph g;
  uint32_t *level, *queue;
  uint64_t s, reached = 0, sum = 0;
  if (n64 < 2 || n64 > 0x7fffffffULL / DEGREE) usage_exit(kUsage, "size", argc > 1 ? argv[1] : "");
  g.n = (uint32_t)n64;
  g.offset = xmalloc((n64 + 1) * 4);
  g.edge = xmalloc(n64 * DEGREE * 4);
  level = xmalloc(n64 * 4);
  queue = xmalloc(n64 * 4);
  build(&g, queue);
  for (s = 0; s < n64; ++s) level[s] = 0; /* part of the set-up: the first search starts at once */
  if (searches == 0) {
    printf("bfs: set-up only (%u vertices)\n", g.n);
    return 0;
  }
  for (s = 0; s < searches; ++s) {
    uint32_t v;
    if (s > 0)
      for (v = 0; v < g.n; ++v) level[v] = 0;
    reached += bfs(&g, (uint32_t)(s % g.n), level, queue, &sum);
  }
  printf("bfs: %u vertices, %llu edges, %llu searches, %llu reached, checksum %016llx\n", g.n,
         (unsigned long long)n64 * DEGREE, (unsigned long long)searches,
         (unsigned long long)reached, (unsigned long long)sum);
  free(queue);
  free(level);
  free(g.edge);
  free(g.offset);
  return 0;
}
