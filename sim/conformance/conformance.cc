#include "sim/conformance/conformance.h"

#include <memory>
#include <ostream>

#include "models/core/addrspace/address_space.h"
#include "sim/conformance/vector_script.h"
#include "sim/util/line_reader.h"

namespace nptsim::conformance {

namespace {

using json = nlohmann::json;

const json kPanic = "panic";

json hex(uint64_t v) { return to_hex(v); }

json status_json(const AxStatus& r) {
  if (r.ok()) return "ok";
  if (r.error().code == AxError::Panic) return kPanic;
  return to_string(r.error().code);
}

template <class T, class F>
json result_json(const AxResult<T>& r, F&& on_value) {
  if (!r.ok()) return r.error().code == AxError::Panic ? kPanic : json(to_string(r.error().code));
  return on_value(r.value());
}

// Replays the ops of one script on a fresh allocator, memory and address space.
class Replayer {
 public:
  explicit Replayer(const VectorScript& s) : script_(s), frames_(s.frame_limit) {}

  ScriptOutcome run() {
    ScriptOutcome out;
    out.id = script_.id;
    for (size_t i = 0; i < script_.ops.size(); ++i) {
      const VectorOp& op = script_.ops[i];
      json expected = op.kind == OpKind::CheckFrames
                          ? frames_json(op.allocs, op.deallocs, op.failed_allocs)
                          : op.expect;
      json got = apply(op);
      if (got != expected) {
        out.passed = false;
        out.op_index = i;
        out.op = op.name;
        describe_mismatch(op, expected, got, out);
        return out;
      }
      if (expected == kPanic) break;  // the crate's state after a panic is unspecified
    }
    return out;
  }

 private:
  static json frames_json(uint64_t a, uint64_t d, uint64_t f) {
    return json{{"allocs", a}, {"deallocs", d}, {"failed_allocs", f}};
  }

  json apply(const VectorOp& op) {
    if (op.kind == OpKind::NewEmpty) return new_empty();
    if (op.kind == OpKind::CheckFrames) {
      const FrameStats& st = frames_.stats();
      return frames_json(st.allocs, st.deallocs, st.failed_allocs);
    }
    if (!as_) return "no address space";
    const GuestPhysAddr gpa(op.gpa);
    switch (op.kind) {
      case OpKind::ContainsRange:
        return result_json(as_->contains_range(gpa, op.size), [](bool b) { return json(b); });
      case OpKind::MapLinear:
        return status_json(as_->map_linear(gpa, HostPhysAddr(op.hpa), op.size, op.flags));
      case OpKind::MapAlloc:
        return status_json(as_->map_alloc(gpa, op.size, op.flags, op.populate));
      case OpKind::Unmap:
        return status_json(as_->unmap(gpa, op.size));
      case OpKind::Clear:
        return status_json(as_->clear());
      case OpKind::HandlePageFault:
        return as_->handle_page_fault(gpa, op.access);
      case OpKind::Translate:
        return result_json(as_->translate(gpa), [](const std::optional<HostPhysAddr>& h) {
          return h ? hex(h->value()) : json(nullptr);
        });
      case OpKind::TranslateAndGetLimit:
        return result_json(as_->translate_and_get_limit(gpa), [](const auto& r) {
          return r ? json{{"hpa", hex(r->first.value())}, {"limit", hex(r->second)}}
                   : json(nullptr);
        });
      case OpKind::TranslatedByteBuffer:
        return result_json(as_->translated_byte_buffer(gpa, op.len), [](const auto& r) {
          if (!r) return json(nullptr);
          json list = json::array();
          for (const HostSlice& s : *r)
            list.push_back({{"hpa", hex(s.hpa.value())}, {"len", hex(s.len)}});
          return list;
        });
      case OpKind::DumpTables:
        return dump();
      case OpKind::Drop: {
        json r = status_json(as_->teardown());
        if (r == "ok") as_.reset();
        return r;
      }
      case OpKind::NewEmpty:
      case OpKind::CheckFrames:
        break;
    }
    return nullptr;
  }

  json new_empty() {
    Stage2Config cfg{script_.arch, script_.levels, GeometryMode::Crate, 0};
    auto r =
        AddrSpace::new_empty(cfg, GuestPhysAddr(script_.base), script_.size, Hal{&frames_, &mem_});
    if (!r.ok()) return status_json(fail(r.error()));
    as_ = std::move(r.value());
    return "ok";
  }

  // The dump of the README: every reachable table in pre-order with its non-zero entries.
  json dump() const {
    const AnyPageTable* pt = as_->page_table();
    json tables = json::array();
    pt->for_each_table([&](HostPhysAddr table, int depth) {
      json entries = json::array();
      const uint64_t n = pt->entries_at(depth);
      for (uint64_t i = 0; i < n; ++i) {
        uint64_t raw = mem_.read_u64(table + i * 8);
        if (raw != 0) entries.push_back(json::array({i, hex(raw)}));
      }
      tables.push_back({{"hpa", hex(table.value())}, {"level", depth}, {"entries", entries}});
    });
    return json{{"root", hex(as_->page_table_root().value())}, {"tables", tables}};
  }

  // Mismatch text: whole values, except dumps, which show the first table that differs.
  static void describe_mismatch(const VectorOp& op, const json& expected, const json& got,
                                ScriptOutcome& out) {
    out.expected = expected.dump();
    out.got = got.dump();
    if (op.kind != OpKind::DumpTables || !got.is_object()) return;
    const json& et = expected["tables"];
    const json& gt = got["tables"];
    for (size_t i = 0; i < std::max(et.size(), gt.size()); ++i) {
      json e = i < et.size() ? et[i] : json(nullptr);
      json g = i < gt.size() ? gt[i] : json(nullptr);
      if (e != g) {
        out.expected = "table #" + std::to_string(i) + " " + e.dump();
        out.got = "table #" + std::to_string(i) + " " + g.dump();
        return;
      }
    }
  }

  const VectorScript& script_;
  BumpFrameAllocator frames_;
  PhysMem mem_;
  std::unique_ptr<AddrSpace> as_;
};

std::string clip(const std::string& s) {
  constexpr size_t kMax = 400;
  return s.size() <= kMax ? s : s.substr(0, kMax) + "...";
}

}  // namespace

ScriptOutcome run_script(const std::string& json_line, const std::string& where) {
  VectorScript s = parse_script(json_line, where);
  return Replayer(s).run();
}

FileSummary run_file(const std::string& path, std::ostream& out) {
  LineReader reader(path);
  FileSummary sum;
  std::string line;
  while (reader.next(line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(reader.line_number());
    ScriptOutcome r = run_script(line, where);
    if (r.passed) {
      ++sum.passed;
      continue;
    }
    ++sum.failed;
    out << "FAIL " << r.id << " (" << where << ") op #" << r.op_index << " " << r.op
        << ": expected " << clip(r.expected) << ", got " << clip(r.got) << "\n";
  }
  return sum;
}

}  // namespace nptsim::conformance
