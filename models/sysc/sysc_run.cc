#include "models/sysc/sysc_run.h"

#include <cstdlib>
#include <memory>
#include <stdexcept>

#if defined(__SANITIZE_ADDRESS__)
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#endif

#include "models/sysc/clock.h"
#include "models/sysc/hypervisor.h"
#include "models/sysc/memory_target.h"
#include "models/sysc/mmu_module.h"
#include "models/sysc/trace_mapping.h"
#include "models/sysc/trace_player.h"
#include "models/sysc/walker_port.h"
#include "traces/io/trace_error.h"

namespace nptsim::sysc {

namespace {

// The platform's nested-fault handler: each fault leaves through its vCPU's MMU port.
class FaultRouter : public NestedFaultHandler {
 public:
  explicit FaultRouter(std::vector<std::unique_ptr<MmuModule>>& mmus) : mmus_(mmus) {}
  FaultHandling on_nested_fault(uint16_t vcpu, GuestPhysAddr gpa, AccessKind kind,
                                const Fault& f) override {
    return mmus_.at(vcpu)->nested_fault(gpa, kind, f);
  }

 private:
  std::vector<std::unique_ptr<MmuModule>>& mmus_;
};

// One run's modules.
class Platform : public sc_core::sc_module {
 public:
  Platform(sc_core::sc_module_name name, const TimedRun& run,
           std::function<void(uint64_t)> progress)
      : sc_module(name), clock_(run.platform.core.freq_ghz) {
    std::string error;
    fp_ = FunctionalPlatform::create(
        run.platform, error,
        [this, dmi = run.platform.pte_dmi](uint16_t vcpu, PhysMem&,
                                           CoreCaches& caches) -> std::unique_ptr<PteMemory> {
          auto port =
              std::make_unique<Stage2WalkerPort>(("walker" + std::to_string(vcpu)).c_str(), clock_);
          port->socket.bind(memory_->socket);
          memory_->set_caches(vcpu, &caches);
          if (dmi) port->use_dmi(&caches);
          return port;
        });
    if (!fp_) throw std::runtime_error(error);
    // The memory target must exist before the factory binds walkers to it: create it now and
    // build the vCPUs afterwards.
    memory_ = std::make_unique<MemoryTarget>("memory", fp_->memory_mut(), clock_);
    hypervisor_ =
        std::make_unique<HypervisorModule>("hypervisor", fp_->space_mut(), run.platform.costs);
    fp_->set_fault_handler(&router_);
    fp_->prepare_vcpus(run.vcpus);
    auto source = run.source();
    FunctionalPlatform* fp = fp_.get();
    records_ = std::make_unique<RecordDispatcher>(
        std::move(source), run.vcpus, run.warmup,
        [this, fp] {
          fp->reset_stats();
          frames_at_warm_ = fp->frames().stats().allocs;
        },
        std::move(progress));
    for (uint16_t v = 0; v < run.vcpus; ++v) {
      mmus_.push_back(std::make_unique<MmuModule>(("mmu" + std::to_string(v)).c_str(), v, *fp_));
      mmus_.back()->hypervisor.bind(hypervisor_->target);
      players_.push_back(std::make_unique<TracePlayer>(
          ("player" + std::to_string(v)).c_str(), v, *records_, clock_,
          sc_core::sc_time(static_cast<double>(run.platform.quantum_ns), sc_core::SC_NS)));
      players_.back()->mmu.bind(mmus_.back()->target);
    }
    warmup_ = run.warmup;
  }

  // The platform's memory outlives its walker ports only until fp_ is destroyed: stop telling
  // the (then destroyed) ports about discarded frames before that.
  ~Platform() override {
    if (fp_) fp_->memory_mut().set_discard_listener(nullptr);
  }

  RunResult result() const {
    for (const auto& p : players_) {
      if (!p->error().empty()) throw trace::TraceError(p->error());
    }
    RunResult r = collect(*fp_, true);
    uint64_t end = 0;
    for (const auto& p : players_) end = std::max(end, p->end_cycles());
    r.sim_seconds = clock_.seconds(end);
    r.warmup_accesses = records_->dispatched() < warmup_ ? records_->dispatched() : warmup_;
    r.frames_during_run = fp_->frames().stats().allocs - frames_at_warm_;
    return r;
  }

 private:
  Clock clock_;
  std::unique_ptr<MemoryTarget> memory_;
  std::unique_ptr<FunctionalPlatform> fp_;
  std::unique_ptr<HypervisorModule> hypervisor_;
  std::unique_ptr<RecordDispatcher> records_;
  std::vector<std::unique_ptr<MmuModule>> mmus_;
  FaultRouter router_{mmus_};
  std::vector<std::unique_ptr<TracePlayer>> players_;
  uint64_t frames_at_warm_ = 0;
  uint64_t warmup_ = 0;
};

// SystemC's coroutines tell AddressSanitizer about their stack switches, but switch back to the
// main stack without its bounds: ASan then cannot clean the stack when an exception is thrown
// there (a trace error reported after the simulation) and reports false overflows. Tell it the
// main thread's stack again. Nothing to do without ASan.
void restore_sanitizer_stack() {
#if defined(__SANITIZE_ADDRESS__)
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* bottom = nullptr;
  size_t size = 0;
  const bool known = pthread_attr_getstack(&attr, &bottom, &size) == 0;
  pthread_attr_destroy(&attr);
  if (!known) return;
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#endif
}

}  // namespace

std::vector<RunResult> run_timed(const std::vector<TimedRun>& runs,
                                 std::function<void(uint64_t)> progress) {
  // SystemC elaborates once per process: after a simulation the kernel is no longer elaborating.
  if (sc_core::sc_get_status() != sc_core::SC_ELABORATION)
    throw std::runtime_error("the SystemC model can be simulated once per process");
  ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  // A player that meets a trace error stops the simulation (the error is reported by the
  // caller): the kernel's notes that it stopped, and that another player stopped it too, are
  // noise.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                          sc_core::SC_DO_NOTHING);
  sc_core::sc_report_handler::set_actions(sc_core::SC_ID_SIMULATION_STOP_CALLED_TWICE_,
                                          sc_core::SC_DO_NOTHING);
  std::vector<std::unique_ptr<Platform>> platforms;
  try {
    for (size_t i = 0; i < runs.size(); ++i) {
      platforms.push_back(std::make_unique<Platform>(("run" + std::to_string(i)).c_str(), runs[i],
                                                     i == 0 ? progress : nullptr));
    }
    sc_core::sc_start();
    restore_sanitizer_stack();
  } catch (const sc_core::sc_report& r) {
    restore_sanitizer_stack();
    throw std::runtime_error(std::string("SystemC: ") + r.what());
  }
  std::vector<RunResult> out;
  for (const auto& p : platforms) out.push_back(p->result());
  return out;
}

}  // namespace nptsim::sysc
