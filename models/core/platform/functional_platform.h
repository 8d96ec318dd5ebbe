// FunctionalPlatform: the whole model without SystemC time: a guest address space built by
// AddrSpace from a GuestLayout, one translation path per vCPU (the configured scheme, over the
// real tables), the guest OS model when the scheme walks guest tables, and one fault-resolution
// loop with a resolver per stage: the guest OS for stage-1 faults (demand paging), the
// hypervisor for stage-2 faults (lazy pages are faulted in by AddrSpace::handle_page_fault,
// everything else is an unhandled exit). Cycles come from the same latency models the SystemC
// platform uses.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/core/addrspace/address_space.h"
#include "models/core/engine/invalidation_ops.h"
#include "models/core/engine/translation_scheme.h"
#include "models/core/guest/guest_os.h"
#include "models/core/mem/cache_hierarchy.h"
#include "models/core/platform/guest_event.h"
#include "models/core/platform/guest_layout.h"
#include "models/core/stats/stat_tree.h"
#include "models/core/timing/core_timeline.h"

namespace nptsim {

// Hypervisor costs in cycles (defaults and sources: docs/PARAMETERS.md).
struct FaultCosts {
  uint32_t vm_exit = 1300;        // VM exit + VM entry round trip
  uint32_t handler = 800;         // the nested-fault handler: area lookup, remap (estimate)
  uint32_t alloc = 400;           // one frame from the host allocator (estimate)
  uint32_t zero_page = 150;       // clearing a 4 KiB frame
  uint32_t mmio_exit = 2500;      // emulating an access to an unmapped GPA (device window)
  uint32_t invalidate = 200;      // one TLB maintenance operation on the issuing vCPU (estimate)
  uint32_t shootdown_ipi = 3000;  // reaching one other vCPU: IPI, exit, invalidate (estimate)
  uint32_t entry_write = 20;      // writing one stage-2 entry in the handler (estimate)
};

// The host's frame allocator (mem/frame_allocator.h): reusing freed frames or never.
enum class HostAllocator : uint8_t { FreeList, Bump };

// The hypervisor's memory policies beyond the crate's backends (addrspace/policy_backend.h),
// and the host memory they draw on. The defaults are the crate's behaviour.
struct HypervisorPolicy {
  uint64_t linear_max_leaf = kPageSize1G;  // the largest leaf of a Linear area (crate: 1G)
  uint64_t alloc_block = kPageSize4K;      // the largest leaf backing an Alloc area (crate: 4K)
  uint64_t fault_around = 1;               // 4 KiB pages a lazy fault maps (crate: 1)
  bool prefault = false;                   // a lazy area's first fault maps all of it
  HostAllocator allocator = HostAllocator::FreeList;
  double fragmentation = 0;  // share of the host's 2 MiB regions holding a frame in use elsewhere
  // Alloc areas keep the crate's own backend (AllocBackend), as conformance defines it.
  bool crate_alloc() const { return alloc_block == kPageSize4K && fault_around == 1 && !prefault; }
};

// The core around the translation path: its clock, and the cycles per instruction of the work
// between trace accesses (instructions a trace retires: its fetch records, and the `gap` of
// every record). Defaults and sources: docs/PARAMETERS.md.
struct CoreConfig {
  double freq_ghz = 3.3;                // cycles per nanosecond
  double base_cpi = 1.0;                // cycles per instruction when translation does not stall
  CoreModel model = CoreModel::Window;  // how accesses overlap (timing/core_timeline.h)
  uint32_t window = 224;                // instructions in flight with model = window
};

struct PlatformConfig {
  CoreConfig core;
  Stage2Config stage2{Arch::X86_64, 4, GeometryMode::Hardware, 0};
  GuestLayout layout;
  MmuConfig mmu;
  MemLatencyConfig mem;
  FaultCosts costs;
  HypervisorPolicy policy;
  // The hypervisor's stage-2 translation controls (EPTP A/D, VTCR_EL2.HA, Svadu, ...): each
  // format declares its own as parameters (arch/<format>/*_params.h); geometry and root are
  // filled in when the tables are built.
  Stage2Regime stage2_controls;
  uint64_t seed = 1;
  // SystemC model: walker ports read PTEs through the memory target's DMI grants (same cycles
  // and counters as one b_transport per read, less host time); off: every read a b_transport.
  bool pte_dmi = true;
  // SystemC model: each vCPU's player synchronises with the others every quantum_ns of
  // simulated time (temporal decoupling, TLM-2.0 loosely timed).
  uint32_t quantum_ns = 1000;
  // The translation scheme (engine/scheme_registry.cc): "stage2" (guest-physical accesses) or
  // "nested" (guest-virtual accesses; the guest OS model keeps stage-1 tables in guest memory).
  std::string scheme = "stage2";
  GuestOsConfig guest;
  CacheConfig nested_tlb{true, 32, 4, Replacement::Lru, 1};
  WalkCacheConfig s1_walk_cache;
  bool stage_tagged_walk_cache = false;  // TranslationConfig::stage_tagged_walk_cache

  // The scheme walks the guest's own tables (trace addresses are guest-virtual).
  bool guest_tables() const;
  TranslationConfig translation() const {
    return TranslationConfig{
        mmu,
        nested_tlb,
        s1_walk_cache,
        guest.asid,
        stage_tagged_walk_cache,
        ShadowCosts{costs.vm_exit, costs.handler, costs.alloc, costs.zero_page, costs.entry_write}};
  }
  CoreTimingConfig timing() const {
    return CoreTimingConfig{core.model, core.window, core.base_cpi, mmu.walkers, mem.fill_buffers};
  }
};

struct AccessOutcome {
  bool ok = false;  // translated (possibly after a handled fault)
  HostPhysAddr hpa;
  uint64_t cycles = 0;         // translation + fault handling
  uint64_t lookup_cycles = 0;  // the first translation's TLB lookups (all of it on a TLB hit)
  uint64_t walk_cycles = 0;    // the first translation's walk, when it missed the TLBs
  uint64_t fault_cycles = 0;   // fault handling and the translations retried after it
  uint64_t data_cycles = 0;    // the data access (or fetch) itself, through the caches
  bool data_missed_l1 = false;
  uint8_t page_shift = 12;  // the leaf size the walk found
  bool walked = false;
  bool fault_handled = false;
  Fault fault;  // the unhandled fault, when !ok
};

// The hypervisor's answer to a nested fault: resolved (the access retries) or not, what handling
// it cost, and the work that cost comes from.
struct FaultHandling {
  bool handled = false;
  uint64_t cycles = 0;
  FaultWork work;             // leaves written, data frames allocated (and zeroed)
  uint64_t table_frames = 0;  // stage-2 table frames the handler allocated (each zeroed, linked)
};

// The nested-fault policy of axvm over AddrSpace: a stage-2 translation fault goes to
// AddrSpace::handle_page_fault (which resolves it for lazy Alloc areas); anything else, or a
// fault it does not resolve, is an unhandled exit (an MMIO access for the device window).
// A resolved fault costs what its handler did: vm_exit + handler, and per allocator request
// alloc, per frame zero_page, per entry written (leaves, and a link per new table) entry_write.
FaultHandling handle_nested_fault(AddrSpace& space, const FaultCosts& costs, GuestPhysAddr gpa,
                                  AccessKind kind, const Fault& fault);

// A resolved fault's cost from its handler's work (the formula above).
uint64_t fault_work_cycles(const FaultCosts& costs, const FaultWork& work, uint64_t table_frames);

// One area of a layout mapped into `space`: with the crate's backends unless `policy` asks for
// more (addrspace/policy_backend.h).
AxStatus map_layout_area(AddrSpace& space, const AreaSpec& a, const HypervisorPolicy& policy);

// Who receives nested faults: by default the platform calls handle_nested_fault itself; the
// SystemC model installs its hypervisor module here.
class NestedFaultHandler {
 public:
  virtual ~NestedFaultHandler() = default;
  virtual FaultHandling on_nested_fault(uint16_t vcpu, GuestPhysAddr gpa, AccessKind kind,
                                        const Fault& f) = 0;
};

struct PlatformStats {
  uint64_t accesses = 0;
  uint64_t guest_faults = 0;             // stage-1 demand-paging faults the guest OS resolved
  uint64_t stage2_faults_on_tables = 0;  // handled stage-2 faults on stage-1 table reads
  uint64_t faults_handled = 0;
  uint64_t faults_unhandled = 0;
  uint64_t unhandled_by_kind[kFaultKindCount] = {};  // FaultKind
  uint64_t fault_cycles = 0;
  uint64_t cycles = 0;
  uint64_t hypervisor_exits = 0;         // stage-2 faults delivered to the hypervisor
  uint64_t guest_table_write_exits = 0;  // guest page-table writes trapped (shadow paging)
  uint64_t page_crossings = 0;           // accesses that touched two pages (both translated)
  uint64_t invalidations = 0;            // TLB maintenance operations issued
  uint64_t shootdown_ipis = 0;           // other vCPUs reached by them
  uint64_t invalidation_cycles = 0;
  // What the handlers of resolved nested faults did.
  uint64_t fault_data_frames = 0, fault_table_frames = 0, fault_entries = 0;
  // The core model: instructions retired (from fetch records and record gaps) and the cycles
  // they take at core.base_cpi; `cycles` above is translation (and fault handling) only.
  uint64_t fetch_instructions = 0, gap_instructions = 0;
  uint64_t core_cycles = 0;
  uint64_t data_cycles = 0;  // data accesses and fetches through the caches (mem.data_caches)
};

class FunctionalPlatform {
 public:
  // Builds the guest; on failure returns nullptr and says why in `error`.
  // `port_factory`, when given, makes each vCPU's PTE memory (the SystemC model passes TLM
  // ports); by default PTEs are read from PhysMem with the cycles of the vCPU's caches.
  using PortFactory =
      std::function<std::unique_ptr<PteMemory>(uint16_t vcpu, PhysMem&, CoreCaches&)>;
  static std::unique_ptr<FunctionalPlatform> create(const PlatformConfig& c, std::string& error,
                                                    PortFactory port_factory = nullptr);

  // One access of a trace address (a GPA or GVA, as the scheme translates) by `vcpu`: the
  // translation, and the faults the resolvers fix, each followed by a retry.
  AccessOutcome access(uint16_t vcpu, uint64_t addr, AccessKind kind);
  // An access of `size` bytes: one that crosses into the next 4 KiB page is translated for both
  // pages (cycles summed; ok when both are), as hardware translates each page it touches.
  AccessOutcome access(uint16_t vcpu, uint64_t addr, AccessKind kind, uint32_t size) {
    return within_page(addr, size) ? access(vcpu, addr, kind) : access_crossing(vcpu, addr, kind);
  }
  AccessOutcome access(uint16_t vcpu, GuestPhysAddr gpa, AccessKind kind) {
    return access(vcpu, gpa.value(), kind);
  }
  AccessOutcome access(uint16_t vcpu, GuestVirtAddr gva, AccessKind kind) {
    return access(vcpu, gva.value(), kind);
  }
  // One trace record on `vcpu`: the instructions before it retire (`gap`, and the record itself
  // when it is a fetch), then its access of `size` bytes (into `outcome` when given). Returns how
  // far the vCPU's completion time moved (core/timing/core_timeline.h), in cycles: the SystemC
  // player's time.
  uint64_t record(uint16_t vcpu, uint64_t addr, AccessKind kind, uint32_t size, uint64_t gap,
                  AccessOutcome* outcome = nullptr);
  // `vcpu` retires the instructions of one trace record: `gap` without records of their own, and
  // the record itself when it is a fetch. Returns the core cycles they take (base_cpi per
  // instruction, rounded so that the sum over a vCPU's records is exact).
  uint64_t retire(uint16_t vcpu, uint64_t gap, bool fetch) {
    return gap == 0 && !fetch ? 0 : retire_some(vcpu, gap, fetch);
  }
  // `vcpu` issues the TLB maintenance operation `op` (at page `addr` for the address forms): its
  // translation caches drop what `op` says, and with `broadcast` every other vCPU's too (a
  // shootdown, fault.shootdown_ipi each). Returns the cycles on the issuing vCPU.
  uint64_t invalidate(uint16_t vcpu, const InvalidationOp& op, uint64_t addr, bool broadcast);
  // The hypervisor, on `vcpu`, unmaps [gpa, gpa + size) from stage 2 (AddrSpace::unmap) and
  // shoots down every vCPU's translations of it with the architecture's stage-2 operation (per
  // page where it has an address form, else the whole context). Returns the invalidation
  // cycles, or the unmap's error.
  AxResult<uint64_t> unmap(uint16_t vcpu, GuestPhysAddr gpa, uint64_t size);
  // One event of a trace on `vcpu` (docs/EVENTS.md): the address-space change and the
  // invalidations it needs, its cost serialised on the vCPU's timeline. Returns how far the
  // vCPU's completion time moved, as record() does; on an event the address space cannot take
  // (a map over an area, a balloon outside RAM, ...) nothing changes, 0 is returned and `error`
  // says why.
  uint64_t event(uint16_t vcpu, const GuestEvent& e, std::string& error);
  // Creates vCPUs 0..n-1 now (the SystemC model binds their ports before simulating).
  void prepare_vcpus(uint16_t n);
  void set_fault_handler(NestedFaultHandler* h) { handler_ = h; }
  AddrSpace& space_mut() { return *space_; }
  PhysMem& memory_mut() { return mem_; }
  // Zeroes all statistics (platform, translation paths, latency models); caches stay warm.
  void reset_stats();
  // Cycles until every vCPU's records so far complete (the core model), summed over vCPUs; and
  // the same with translation free. Both restart at reset_stats().
  uint64_t total_cycles() const;
  uint64_t ideal_cycles() const;
  // Bytes of host memory in stage-2 tables and in Alloc data frames now.
  uint64_t table_bytes() const;
  uint64_t data_bytes() const;
  // Every counter under its path: accesses and faults, hypervisor.*, guest_os.*, frames.*,
  // memory.*, and vcpuN.* for each vCPU's translation path and PTE caches.
  void report(StatTree& t) const;

  const PlatformConfig& config() const { return cfg_; }
  const Stage2Regime& stage2_regime() const { return regime_; }
  const PlatformStats& stats() const { return stats_; }
  const EventStats& event_stats() const { return event_stats_; }
  const DirtyLog& dirty_log() const { return dirty_; }
  const AddrSpace& space() const { return *space_; }
  const FrameAllocator& frames() const { return *frames_; }
  const PhysMem& memory() const { return mem_; }
  size_t vcpus() const { return vcpus_.size(); }
  // vCPU `vcpu`'s translation path, or nullptr before its first access.
  const TranslationScheme* scheme(size_t vcpu) const {
    return vcpu < vcpus_.size() && vcpus_[vcpu] ? vcpus_[vcpu]->scheme.get() : nullptr;
  }
  const GuestOs* guest_os() const { return guest_os_.get(); }
  const CoreCaches* caches(size_t vcpu) const {
    return vcpu < vcpus_.size() && vcpus_[vcpu] ? &vcpus_[vcpu]->caches : nullptr;
  }
  uint64_t frames_after_build() const { return frames_after_build_; }

 private:
  struct Vcpu {
    CoreCaches caches;
    std::unique_ptr<PteMemory> port;
    std::unique_ptr<TranslationScheme> scheme;
    bool repeat_hits = false;   // an L1 TLB is on (else no access is a repeat hit)
    uint64_t instructions = 0;  // retired since the statistics were last reset
    // When the vCPU's records complete, and with translation free (core/timing/core_timeline.h).
    CoreTimeline timeline;
    Vcpu(const PlatformConfig& c, SharedMemory& shared, uint64_t seed)
        : caches(c.mem, shared, seed), timeline(c.timing()) {}
  };
  explicit FunctionalPlatform(const PlatformConfig& c);
  Vcpu& vcpu(uint16_t id) {
    if (id < vcpus_.size() && vcpus_[id]) return *vcpus_[id];
    return make_vcpu(id);
  }
  Vcpu& make_vcpu(uint16_t id);
  AccessOutcome access_crossing(uint16_t vcpu, uint64_t addr, AccessKind kind);
  static bool within_page(uint64_t addr, uint32_t size) {
    return size <= 1 || (addr & 0xFFF) + size <= 0x1000;
  }
  // The data access (or fetch) at `hpa` through the vCPU's caches: its cycles (0 without data
  // caches); sets `missed_l1` when it missed the L1 (left alone otherwise).
  uint64_t access_data(Vcpu& v, HostPhysAddr hpa, AccessKind kind, bool& missed_l1);
  // access() when the translation is a repeat hit of the L1 TLB entry of the last hit (the common
  // case), without building its outcome; false, having done nothing, otherwise.
  bool repeat_hit_access(Vcpu& v, uint64_t addr, AccessKind kind);
  // Places a translated access on the vCPU's timeline (both lanes: real and translation-free).
  static void time_access(Vcpu& v, uint64_t addr, const AccessOutcome& o);
  uint64_t retire_some(uint16_t vcpu, uint64_t gap, bool fetch);
  static void add_translation(AccessOutcome& o, const Translation& t);
  // After a fault `t`: the resolvers, each resolved fault followed by a retry (into `o`).
  void resolve_faults(TranslationScheme& scheme, uint16_t vcpu, uint64_t addr, AccessKind kind,
                      Translation t, AccessOutcome& o);
  // The resolver of a fault's stage: the guest OS (stage 1) or the hypervisor (stage 2).
  FaultHandling resolve(uint16_t vcpu, uint64_t addr, AccessKind kind, const Fault& f);
  // A nested fault goes to the installed handler (the SystemC hypervisor module), else to
  // handle_nested_fault.
  FaultHandling nested_fault(uint16_t vcpu, GuestPhysAddr gpa, AccessKind kind, const Fault& f) {
    return handler_ ? handler_->on_nested_fault(vcpu, gpa, kind, f)
                    : handle_nested_fault(*space_, cfg_.costs, gpa, kind, f);
  }
  // Entries the guest OS has written to its page tables: 4 KiB leaves (the last level), and
  // those above it (2 MiB leaves, a link per new table).
  struct GuestTableWrites {
    uint64_t leaves_4k = 0, upper = 0;
  };
  GuestTableWrites guest_table_writes() const {
    if (!guest_os_) return {};
    const GuestOsStats& g = guest_os_->stats();
    return {g.pages_4k, g.pages_2m + g.table_pages};
  }
  // Of the writes since `before`, those the scheme traps (SchemeInfo::traps).
  uint64_t trapped_writes(const GuestTableWrites& before) const {
    const GuestTableWrites now = guest_table_writes();
    const uint64_t upper = now.upper - before.upper;
    switch (scheme_info_->traps) {
      case GuestTableTraps::None:
        return 0;
      case GuestTableTraps::UpperLevels:
        return upper;
      case GuestTableTraps::All:
        return upper + (now.leaves_4k - before.leaves_4k);
    }
    return 0;
  }
  // The events (platform_events.cc): each returns its cycles, or sets `error`.
  uint64_t apply_event(uint16_t vcpu, const GuestEvent& e, std::string& error);
  uint64_t map_event(uint16_t vcpu, const GuestEvent& e, std::string& error);
  uint64_t unmap_event(uint16_t vcpu, const GuestEvent& e, std::string& error);
  uint64_t protect_event(uint16_t vcpu, const GuestEvent& e, std::string& error);
  uint64_t balloon_inflate(uint16_t vcpu, const GuestEvent& e, std::string& error);
  uint64_t balloon_deflate(uint16_t vcpu, const GuestEvent& e, std::string& error);
  uint64_t dirty_start(uint16_t vcpu, std::string& error);
  uint64_t dirty_sync(uint16_t vcpu, std::string& error);
  uint64_t dirty_stop(uint16_t vcpu, std::string& error);
  uint64_t guest_tlb_flush(uint16_t vcpu, const GuestEvent& e);
  void report_events(StatTree& t) const;
  // A hypervisor operation's cost from its work: an exit and the handler, the entries written,
  // the frames allocated (and zeroed), plus `invalidation` cycles.
  uint64_t hypervisor_work_cycles(uint64_t entries, uint64_t frames, uint64_t invalidation) const;
  // Every vCPU's translations of [gpa, gpa+size) dropped with the architecture's stage-2
  // operation: per page up to kSinglePageFlushCeiling pages where it has an address form, else
  // the whole context. The cycles on the issuing vCPU.
  uint64_t shootdown(uint16_t vcpu, GuestPhysAddr gpa, uint64_t size);
  // A write fault at a page dirty logging write-protected: the page becomes writable (split to
  // 4 KiB first) and is marked dirty; a lazy page is faulted in first (read-only, as the area
  // now is).
  FaultHandling dirty_write_fault(uint16_t vcpu, uint64_t addr, const Fault& f);
  void count_unhandled(const Fault& f) {
    ++stats_.faults_unhandled;
    ++stats_.unhandled_by_kind[static_cast<int>(f.kind)];
  }

  PlatformConfig cfg_;
  const SchemeInfo* scheme_info_ = nullptr;
  std::unique_ptr<FrameAllocator> frames_;
  PhysMem mem_;
  SharedMemory shared_mem_;  // the LLC and DRAM of every vCPU
  std::unique_ptr<AddrSpace> space_;
  Stage2Regime regime_;
  std::vector<std::unique_ptr<Vcpu>> vcpus_;
  std::unique_ptr<GuestMemory> guest_mem_;
  std::unique_ptr<GuestOs> guest_os_;
  PortFactory port_factory_;
  NestedFaultHandler* handler_ = nullptr;
  PlatformStats stats_;
  EventStats event_stats_;
  DirtyLog dirty_;
  uint64_t frames_after_build_ = 0;
};

}  // namespace nptsim
