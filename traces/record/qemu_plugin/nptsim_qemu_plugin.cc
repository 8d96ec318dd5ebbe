// A QEMU TCG plugin that streams every guest instruction fetch and memory access of a user-mode
// program (qemu-user) as an nptsim binary trace (traces/FORMAT.md) to a file descriptor.
//
//   qemu-x86_64 -plugin libnptsim_qemu_plugin.so,fd=N[,fetch=off][,skip=N][,max=N] PROGRAM ...
//
// skip and max are the sampling window of `nptsim record --skip/--max-records` (RecordWindow,
// in trace records as they reach the descriptor): the first `skip` records are not written;
// after `max` written records the plugin closes the descriptor (the reader sees the end of the
// trace) and records nothing more, and the recorder stops the program.
//
// Debian ships qemu-user with plugin support but without qemu-plugin.h, so the few functions and
// types of the plugin API (QEMU 7.2, API version 1) that this plugin uses are declared here.
// Each vCPU (guest thread) fills its own buffer; full buffers are written under a lock, so
// records of one vCPU stay in order and records are never torn.
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "traces/record/record_window.h"

extern "C" {

typedef uint64_t qemu_plugin_id_t;
typedef uint32_t qemu_plugin_meminfo_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_mem_rw { QEMU_PLUGIN_MEM_R = 1, QEMU_PLUGIN_MEM_W, QEMU_PLUGIN_MEM_RW };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb* tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void* userdata);
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu_index, qemu_plugin_meminfo_t info,
                                          uint64_t vaddr, void* userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void* userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb* tb);
struct qemu_plugin_insn* qemu_plugin_tb_get_insn(const struct qemu_plugin_tb* tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn* insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn* insn);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn* insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void* userdata);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn* insn, qemu_plugin_vcpu_mem_cb_t cb,
                                      enum qemu_plugin_cb_flags flags, enum qemu_plugin_mem_rw rw,
                                      void* userdata);
unsigned int qemu_plugin_mem_size_shift(qemu_plugin_meminfo_t info);
bool qemu_plugin_mem_is_store(qemu_plugin_meminfo_t info);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void* userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;  // plugin API version
__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id,
                                                               const void* info, int argc,
                                                               char** argv);
}

namespace {

constexpr size_t kRecordBytes = 16;
constexpr size_t kBufferRecords = 4096;
constexpr unsigned kMaxVcpus = 4096;
constexpr uint8_t kRead = 0, kWrite = 1, kFetch = 2;

struct Buffer {
  uint8_t bytes[kBufferRecords * kRecordBytes];
  size_t n = 0;
};

int g_fd = -1;
bool g_fetch = true;
std::mutex g_write_lock;
nptsim::trace::RecordWindow g_window;  // guarded by g_write_lock
std::atomic<bool> g_done{false};       // the window is full: record nothing more
std::atomic<Buffer*> g_buffers[kMaxVcpus];

// Writes raw bytes; the caller holds g_write_lock.
void write_locked(const uint8_t* p, size_t len) {
  while (len > 0) {
    ssize_t w = ::write(g_fd, p, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      std::fprintf(stderr, "nptsim qemu plugin: write failed: %s\n", std::strerror(errno));
      std::_Exit(3);  // the reader is gone: stop the guest rather than trace into the void
    }
    p += w;
    len -= static_cast<size_t>(w);
  }
}

// Writes the records of a full (or final) buffer that fall in the window; closes the descriptor
// once the window is full.
void write_records(const uint8_t* p, size_t n) {
  std::lock_guard<std::mutex> lock(g_write_lock);
  if (g_done.load(std::memory_order_relaxed)) return;
  const auto s = g_window.offer(n);
  write_locked(p + s.first * kRecordBytes, static_cast<size_t>(s.count) * kRecordBytes);
  if (g_window.full()) {
    g_done.store(true, std::memory_order_relaxed);
    ::close(g_fd);
    g_fd = -1;
  }
}

Buffer* buffer_of(unsigned vcpu) {
  vcpu %= kMaxVcpus;
  Buffer* b = g_buffers[vcpu].load(std::memory_order_acquire);
  if (b) return b;
  auto* fresh = new Buffer();
  if (g_buffers[vcpu].compare_exchange_strong(b, fresh)) return fresh;
  delete fresh;
  return b;
}

inline void put(unsigned vcpu, uint64_t addr, uint8_t size, uint8_t type) {
  if (g_done.load(std::memory_order_relaxed)) return;
  Buffer* b = buffer_of(vcpu);
  uint8_t* r = b->bytes + b->n * kRecordBytes;
  for (int i = 0; i < 8; ++i) r[i] = static_cast<uint8_t>(addr >> (8 * i));
  r[8] = r[9] = r[10] = r[11] = 0;  // gap: every instruction has its own fetch record
  r[12] = static_cast<uint8_t>(vcpu);
  r[13] = static_cast<uint8_t>(vcpu >> 8);
  r[14] = size;
  r[15] = type;
  if (++b->n == kBufferRecords) {
    write_records(b->bytes, b->n);
    b->n = 0;
  }
}

void on_insn(unsigned int vcpu, void* udata) {
  const auto packed = reinterpret_cast<uintptr_t>(udata);  // vaddr << 8 | size
  put(vcpu, packed >> 8, static_cast<uint8_t>(packed & 0xff), kFetch);
}

void on_mem(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void*) {
  const unsigned shift = qemu_plugin_mem_size_shift(info);
  put(vcpu, vaddr, static_cast<uint8_t>(1u << (shift < 7 ? shift : 7)),
      qemu_plugin_mem_is_store(info) ? kWrite : kRead);
}

void on_tb(qemu_plugin_id_t, struct qemu_plugin_tb* tb) {
  const size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
    if (g_fetch) {
      const uintptr_t packed = static_cast<uintptr_t>(qemu_plugin_insn_vaddr(insn) << 8) |
                               (qemu_plugin_insn_size(insn) & 0xff);
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_insn, QEMU_PLUGIN_CB_NO_REGS,
                                             reinterpret_cast<void*>(packed));
    }
    qemu_plugin_register_vcpu_mem_cb(insn, on_mem, QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_RW,
                                     nullptr);
  }
}

void flush_at_exit(qemu_plugin_id_t, void*) {
  for (auto& slot : g_buffers) {
    Buffer* b = slot.load(std::memory_order_acquire);
    if (b && b->n) {
      write_records(b->bytes, b->n);
      b->n = 0;
    }
  }
}

// A decimal count, digits only.
bool parse_count(const char* s, uint64_t* out) {
  if (*s == 0) return false;
  uint64_t v = 0;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9' || v > (~uint64_t{0} - 9) / 10) return false;
    v = v * 10 + static_cast<uint64_t>(*s - '0');
  }
  *out = v;
  return true;
}

int bad_argument(const char* arg) {
  std::fprintf(
      stderr, "nptsim qemu plugin: bad argument '%s' (fd=N, fetch=on|off, skip=N, max=N>0)\n", arg);
  return -1;
}

}  // namespace

int qemu_plugin_install(qemu_plugin_id_t id, const void*, int argc, char** argv) {
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "fd=", 3) == 0) {
      g_fd = std::atoi(argv[i] + 3);
    } else if (std::strcmp(argv[i], "fetch=off") == 0) {
      g_fetch = false;
    } else if (std::strncmp(argv[i], "skip=", 5) == 0) {
      if (!parse_count(argv[i] + 5, &g_window.skip)) return bad_argument(argv[i]);
    } else if (std::strncmp(argv[i], "max=", 4) == 0) {
      if (!parse_count(argv[i] + 4, &g_window.max) || g_window.max == 0)
        return bad_argument(argv[i]);
    } else if (std::strcmp(argv[i], "fetch=on") != 0) {
      return bad_argument(argv[i]);
    }
  }
  if (g_fd < 0) {
    std::fprintf(stderr, "nptsim qemu plugin: needs fd=N, the descriptor to write the trace to\n");
    return -1;
  }
  // Header of an nptsim binary trace, version 1, guest-virtual addresses, count unknown.
  uint8_t h[32] = {'N', 'P', 'T', 'T', 'R', 'A', 'C', 'E', 1, 0, 1, 16};
  std::memset(h + 16, 0xff, 8);
  {
    std::lock_guard<std::mutex> lock(g_write_lock);
    write_locked(h, sizeof h);
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb);
  qemu_plugin_register_atexit_cb(id, flush_at_exit, nullptr);
  return 0;
}
