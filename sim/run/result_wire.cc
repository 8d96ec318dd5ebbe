#include "sim/run/result_wire.h"

#include <cstring>
#include <type_traits>

namespace nptsim {

namespace {

// Every field of RunResult, in one list for writing and reading. A field added to RunResult
// must be added here (cli.run_cli compares the reports of --jobs 1 and --jobs 2 byte for byte).
template <class R, class F>
void for_each_field(R& r, F&& f) {
  f(r.arch), f(r.backend), f(r.mode), f(r.geometry), f(r.scheme), f(r.levels), f(r.accesses);
  f(r.warmup_accesses), f(r.l1d), f(r.l1i), f(r.l2), f(r.walks), f(r.pte_reads), f(r.pte_writes);
  f(r.pte_reads_per_depth), f(r.s1_pte_reads_per_depth), f(r.s2_walk_cache), f(r.s1_walk_cache);
  f(r.walk_cycles), f(r.faults_handled), f(r.faults_unhandled), f(r.unhandled_by_kind);
  f(r.frames_allocated), f(r.frames_during_run), f(r.table_bytes), f(r.data_bytes);
  f(r.fetch_instructions), f(r.gap_instructions), f(r.core_cycles), f(r.translation_cycles);
  f(r.data_cycles), f(r.total_cycles), f(r.ideal_cycles), f(r.freq_ghz), f(r.vcpus);
  f(r.two_dimensional), f(r.guest_levels), f(r.s1_pte_reads), f(r.s2_pte_reads), f(r.nested_tlb);
  f(r.splintered), f(r.guest_faults), f(r.stage2_faults_on_tables), f(r.refs_per_walk);
  f(r.sim_seconds), f(r.stats);
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  template <class T>
  void operator()(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>, "add an overload for this field's type");
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void operator()(const std::string& s) {
    (*this)(static_cast<uint64_t>(s.size()));
    out_ += s;
  }
  void operator()(const StatTree& t) {
    (*this)(static_cast<uint64_t>(t.entries().size()));
    for (const StatTree::Entry& e : t.entries())
      (*this)(e.path), (*this)(e.is_count), (*this)(e.count), (*this)(e.value);
  }

 private:
  std::string& out_;
};

class Reader {
 public:
  Reader(const std::string& in, size_t& pos) : in_(in), pos_(pos) {}
  bool ok() const { return ok_; }
  template <class T>
  void operator()(T& v) {
    static_assert(std::is_trivially_copyable_v<T>, "add an overload for this field's type");
    if (!take(sizeof v)) return;
    std::memcpy(static_cast<void*>(&v), in_.data() + pos_ - sizeof v, sizeof v);
  }
  void operator()(std::string& s) {
    uint64_t n = 0;
    (*this)(n);
    if (!ok_ || !take(n)) return;
    s.assign(in_, pos_ - n, n);
  }
  void operator()(StatTree& t) {
    uint64_t n = 0;
    (*this)(n);
    for (uint64_t i = 0; ok_ && i < n; ++i) {
      StatTree::Entry e;
      (*this)(e.path), (*this)(e.is_count), (*this)(e.count), (*this)(e.value);
      if (!ok_) return;
      if (e.is_count) {
        t.count(e.path, e.count);
      } else {
        t.value(e.path, e.value);
      }
    }
  }

 private:
  bool take(uint64_t n) {
    if (!ok_ || n > in_.size() - pos_) return ok_ = false;
    pos_ += n;
    return true;
  }
  const std::string& in_;
  size_t& pos_;
  bool ok_ = true;
};

}  // namespace

void write_result(std::string& out, const RunResult& r) {
  Writer w(out);
  for_each_field(r, w);
}

bool read_result(const std::string& in, size_t& pos, RunResult& r) {
  Reader rd(in, pos);
  for_each_field(r, rd);
  return rd.ok();
}

}  // namespace nptsim
