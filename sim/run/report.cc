#include "sim/run/report.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "models/core/common/size_parse.h"
#include "sim/util/format.h"

namespace nptsim {

namespace {

using json = nlohmann::ordered_json;

std::string rate(uint64_t part, uint64_t whole) {
  return whole ? fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), 2) + "%"
               : "-";
}

json tlb_json(const TlbStats& s) { return json{{"hits", s.hits}, {"misses", s.misses}}; }

// Walk caches exist for the non-leaf levels: with 4 KiB granules, a table of n levels has the
// caches of the n-1 smallest spans (2M, 1G, ...).
int walk_cache_spans(int levels) { return std::min(levels - 1, kWalkCacheSpans); }

json walk_cache_json(const WalkCacheStats& s, int levels) {
  json hits = json::object();
  for (int i = 0; i < walk_cache_spans(levels); ++i)
    hits[walk_cache_span_name(i)] = s.hits_per_span[i];
  return json{{"lookups", s.lookups}, {"hits", hits}, {"misses", s.misses}};
}

void walk_cache_text(std::ostream& o, const char* stage, const WalkCacheStats& s, int levels) {
  o << stage << " " << s.lookups << " lookups, hits";
  for (int i = walk_cache_spans(levels) - 1; i >= 0; --i)
    o << " " << walk_cache_span_name(i) << " " << s.hits_per_span[i];
  o << ", " << s.misses << " misses";
}

json per_depth_json(const uint64_t* reads, int depths) {
  json a = json::array();
  for (int d = 0; d < depths; ++d) a.push_back(reads[d]);
  return a;
}

const char* kFaultKinds[kFaultKindCount] = {"translation",  "permission",  "misconfig",
                                            "address_size", "access_flag", "non_canonical"};

// The core model's lines: where the time went, in cycles and nanoseconds.
void time_text(std::ostream& o, const RunResult& r) {
  o << "  translation         " << r.translation_cycles << " cycles of latency ("
    << fixed(r.cycles_per_access()) << " per access); data " << r.data_cycles
    << " cycles of latency\n";
  if (r.has_instructions()) {
    o << "  instructions        " << r.instructions() << " (" << r.fetch_instructions
      << " fetch records, " << r.gap_instructions << " in record gaps): " << r.core_cycles
      << " cycles at the base CPI\n";
  } else {
    o << "  instructions        unknown: the trace has no fetch records or gaps (no CPI)\n";
  }
  o << "  cycles              " << r.total_cycles << " total ("
    << fixed(r.nanoseconds(r.total_cycles) / 1e3, 3) << " us at " << fixed(r.freq_ghz) << " GHz), "
    << r.ideal_cycles << " with translation free";
  if (r.sim_seconds > 0) o << "; simulated time " << fixed(r.sim_seconds * 1e6, 3) << " us";
  o << "\n  translation cost    " << r.translation_overhead_cycles() << " cycles, "
    << fixed(100.0 * r.translation_fraction()) << "% of the time";
  if (r.has_instructions()) o << ", +" << fixed(r.translation_cpi(), 4) << " CPI";
  o << "\n";
}

void text_one(std::ostream& o, const RunResult& r) {
  o << "== " << r.arch << " " << r.backend << " (" << r.mode << ", " << r.levels << "-level "
    << r.geometry << " tables, " << r.vcpus << " vCPU" << (r.vcpus == 1 ? "" : "s") << ", "
    << r.scheme << ")\n";
  o << "  accesses            " << r.accesses;
  if (r.warmup_accesses) o << " (after " << r.warmup_accesses << " warm-up)";
  o << "\n";
  auto tlb = [&](const char* name, const TlbStats& s) {
    o << "  " << name << s.hits << " hits, " << s.misses << " misses (hit rate "
      << rate(s.hits, s.hits + s.misses) << ")\n";
  };
  tlb("L1D TLB             ", r.l1d);
  tlb("L1I TLB             ", r.l1i);
  tlb("L2 TLB              ", r.l2);
  o << "  walks               " << r.walks << "\n";
  if (r.two_dimensional) {
    o << "  two-dimensional     guest " << r.guest_levels << "-level tables: stage-1 PTE reads "
      << r.s1_pte_reads << ", stage-2 PTE reads " << r.s2_pte_reads << "; references per walk mean "
      << fixed(r.refs_per_walk.mean()) << ", max " << r.refs_per_walk.max() << "\n";
    o << "  nested TLB          " << r.nested_tlb.hits << " hits, " << r.nested_tlb.misses
      << " misses; " << r.splintered << " splintered TLB fills\n";
    o << "  guest faults        " << r.guest_faults
      << " (demand paging); stage-2 faults on guest tables " << r.stage2_faults_on_tables << "\n";
  }
  o << "  PTE reads           " << r.pte_reads << " (";
  if (r.two_dimensional) {
    o << "stage 1 per level:";
    for (int d = 0; d < r.guest_levels; ++d) o << " " << r.s1_pte_reads_per_depth[d];
    o << "; stage 2 per level:";
  } else {
    o << "per level:";
  }
  for (int d = 0; d < r.levels; ++d) o << " " << r.pte_reads_per_depth[d];
  o << "), A/D write-backs " << r.pte_writes << "\n";
  o << "  walk caches         ";
  walk_cache_text(o, "stage 2", r.s2_walk_cache, r.levels);
  if (r.two_dimensional) {
    o << "; ";
    walk_cache_text(o, "stage 1", r.s1_walk_cache, r.guest_levels);
  }
  o << "\n";
  o << "  walk latency        mean " << fixed(r.walk_cycles.mean()) << ", p50 "
    << r.walk_cycles.percentile(0.5) << ", p99 " << r.walk_cycles.percentile(0.99) << ", max "
    << r.walk_cycles.max() << " cycles\n";
  o << "  nested faults       " << r.faults_handled << " handled, " << r.faults_unhandled
    << " unhandled";
  if (r.faults_unhandled) {
    o << " (";
    bool first = true;
    for (int k = 0; k < kFaultKindCount; ++k) {
      if (!r.unhandled_by_kind[k]) continue;
      o << (first ? "" : ", ") << kFaultKinds[k] << " " << r.unhandled_by_kind[k];
      first = false;
    }
    o << ")";
  }
  o << "\n";
  o << "  host frames         " << r.frames_allocated << " allocated (" << r.frames_during_run
    << " while running); tables " << format_size(r.table_bytes) << ", data "
    << format_size(r.data_bytes) << "\n";
  time_text(o, r);
}

// The keys whose value is the same in every run's configuration, in the first run's order.
ConfigEcho shared_config(const std::vector<ConfigEcho>& configs) {
  ConfigEcho out;
  if (configs.empty()) return out;
  for (const auto& kv : configs.front()) {
    const bool everywhere = std::all_of(configs.begin(), configs.end(), [&](const ConfigEcho& c) {
      return std::find(c.begin(), c.end(), kv) != c.end();
    });
    if (everywhere) out.push_back(kv);
  }
  return out;
}

// The keys of `own` that `shared` does not have.
ConfigEcho own_config(const ConfigEcho& own, const ConfigEcho& shared) {
  ConfigEcho out;
  for (const auto& kv : own) {
    if (std::find(shared.begin(), shared.end(), kv) == shared.end()) out.push_back(kv);
  }
  return out;
}

std::string echo_value(const ConfigEcho& config, const std::string& key) {
  for (const auto& [k, v] : config) {
    if (k == key) return v;
  }
  return "";
}

// The configuration, one line per structure: "  tlb.l2  enabled=on entries=1536 ...";
// keys without a group as "  key = value".
void write_config_lines(std::ostream& o, const ConfigEcho& config) {
  for (size_t i = 0; i < config.size();) {
    const std::string& key = config[i].first;
    const size_t dot = key.rfind('.');
    if (dot == std::string::npos) {
      o << "  " << key << " = " << config[i++].second << "\n";
      continue;
    }
    const std::string group = key.substr(0, dot + 1);
    o << "  " << key.substr(0, dot);
    for (; i < config.size() && config[i].first.rfind(group, 0) == 0 &&
           config[i].first.find('.', group.size()) == std::string::npos;
         ++i) {
      o << " " << config[i].first.substr(group.size()) << "=" << config[i].second;
    }
    o << "\n";
  }
}

// The shared configuration, then the keys of each group of runs configured alike.
void write_config_text(std::ostream& o, const std::vector<RunResult>& runs,
                       const std::vector<ConfigEcho>& configs) {
  if (configs.empty()) return;
  const ConfigEcho shared = shared_config(configs);
  o << "configuration" << (shared.size() == configs.front().size() ? "" : " of every run") << "\n";
  write_config_lines(o, shared);
  std::vector<bool> done(runs.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    const ConfigEcho own = own_config(configs[i], shared);
    if (done[i] || own.empty()) continue;
    std::string names;
    for (size_t j = i; j < runs.size(); ++j) {
      if (done[j] || own_config(configs[j], shared) != own) continue;
      done[j] = true;
      names += (names.empty() ? "" : ", ") + runs[j].arch + " " + runs[j].backend;
    }
    o << "\nconfiguration of " << names << "\n";
    write_config_lines(o, own);
  }
}

}  // namespace

void write_text_report(std::ostream& o, const std::vector<RunResult>& runs,
                       const std::vector<ConfigEcho>& configs) {
  for (const RunResult& r : runs) {
    text_one(o, r);
    o << "\n";
  }
  if (runs.size() > 1) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "%-8s %-7s %-7s %12s %9s %9s %10s %9s %8s %8s %10s %7s %9s  %s\n", "arch",
                  "backend", "scheme", "accesses", "L2 miss%", "walks", "PTE reads", "walk avg",
                  "walk p99", "faults", "cycles/acc", "transl%", "frames", "preset");
    o << "comparison\n" << line;
    for (size_t i = 0; i < runs.size(); ++i) {
      const RunResult& r = runs[i];
      std::snprintf(line, sizeof line,
                    "%-8s %-7s %-7s %12llu %9s %9llu %10llu %9s %8llu %8llu %10s %7s %9llu  %s\n",
                    r.arch.c_str(), r.backend.c_str(), r.scheme.c_str(),
                    static_cast<unsigned long long>(r.accesses),
                    rate(r.l2.misses, r.l2.hits + r.l2.misses).c_str(),
                    static_cast<unsigned long long>(r.walks),
                    static_cast<unsigned long long>(r.pte_reads),
                    fixed(r.walk_cycles.mean(), 1).c_str(),
                    static_cast<unsigned long long>(r.walk_cycles.percentile(0.99)),
                    static_cast<unsigned long long>(r.faults_handled + r.faults_unhandled),
                    fixed(r.cycles_per_access()).c_str(),
                    r.has_instructions() ? fixed(100.0 * r.translation_fraction(), 1).c_str() : "-",
                    static_cast<unsigned long long>(r.frames_allocated),
                    echo_value(configs[i], "preset").c_str());
      o << line;
    }
    o << "\n";
  }
  write_config_text(o, runs, configs);
}

namespace {

// One run as JSON: the summary fields (docs/REPORT.md) and every counter of its statistics tree.
json run_json(const RunResult& r) {
  json kinds = json::object();
  for (int k = 0; k < kFaultKindCount; ++k) kinds[kFaultKinds[k]] = r.unhandled_by_kind[k];
  json run{
      {"arch", r.arch},
      {"backend", r.backend},
      {"mode", r.mode},
      {"scheme", r.scheme},
      {"levels", r.levels},
      {"geometry", r.geometry},
      {"vcpus", r.vcpus},
      {"accesses", r.accesses},
      {"warmup_accesses", r.warmup_accesses},
      {"tlb", json{{"l1d", tlb_json(r.l1d)}, {"l1i", tlb_json(r.l1i)}, {"l2", tlb_json(r.l2)}}},
      {"walks", r.walks},
      {"pte_reads", r.pte_reads},
      {"pte_reads_per_level", per_depth_json(r.pte_reads_per_depth, r.levels)},
      {"pte_writes", r.pte_writes},
      {"walk_cache", json{{"s2", walk_cache_json(r.s2_walk_cache, r.levels)}}},
      {"walk_cycles", json{{"mean", r.walk_cycles.mean()},
                           {"p50", r.walk_cycles.percentile(0.5)},
                           {"p99", r.walk_cycles.percentile(0.99)},
                           {"max", r.walk_cycles.max()}}},
      {"faults", json{{"handled", r.faults_handled},
                      {"unhandled", r.faults_unhandled},
                      {"unhandled_by_kind", kinds}}},
      {"frames_allocated", r.frames_allocated},
      {"frames_allocated_during_run", r.frames_during_run},
      {"table_bytes", r.table_bytes},
      {"data_bytes", r.data_bytes},
      {"translation_cycles", r.translation_cycles},
      {"cycles_per_access", r.cycles_per_access()},
      {"instructions", json{{"fetch_records", r.fetch_instructions},
                            {"record_gaps", r.gap_instructions},
                            {"total", r.instructions()},
                            {"known", r.has_instructions()}}},
      {"core_cycles", r.core_cycles},
      {"data_cycles", r.data_cycles},
      {"total_cycles", r.total_cycles},
      {"ideal_cycles", r.ideal_cycles},
      {"translation_overhead_cycles", r.translation_overhead_cycles()},
      {"total_ns", r.nanoseconds(r.total_cycles)},
      {"translation_fraction", r.translation_fraction()},
      {"translation_cpi", r.translation_cpi()},
      {"simulated_seconds", r.sim_seconds},
  };
  if (r.two_dimensional) {
    run["stages"] = json{
        {"guest_levels", r.guest_levels},
        {"s1_pte_reads", r.s1_pte_reads},
        {"s2_pte_reads", r.s2_pte_reads},
        {"s1_pte_reads_per_level", per_depth_json(r.s1_pte_reads_per_depth, r.guest_levels)},
        {"nested_tlb", tlb_json(r.nested_tlb)},
        {"splintered_tlb_fills", r.splintered},
        {"guest_faults", r.guest_faults},
        {"stage2_faults_on_guest_tables", r.stage2_faults_on_tables},
        {"refs_per_walk", json{{"mean", r.refs_per_walk.mean()}, {"max", r.refs_per_walk.max()}}}};
    run["walk_cache"]["s1"] = walk_cache_json(r.s1_walk_cache, r.guest_levels);
  }
  json stats = json::object();
  for (const StatTree::Entry& e : r.stats.entries()) {
    if (e.is_count) {
      stats[e.path] = e.count;
    } else {
      stats[e.path] = e.value;
    }
  }
  run["stats"] = stats;
  return run;
}

// A JSON value's leaves as (dotted path, text) pairs, in order.
void flatten(const json& v, const std::string& path,
             std::vector<std::pair<std::string, std::string>>& out) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it)
      flatten(it.value(), path.empty() ? it.key() : path + "." + it.key(), out);
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) flatten(v[i], path + "." + std::to_string(i), out);
  } else {
    out.emplace_back(path, v.is_string() ? v.get<std::string>() : v.dump());
  }
}

}  // namespace

void write_json_report(std::ostream& out, const std::vector<RunResult>& runs,
                       const std::vector<ConfigEcho>& configs) {
  const ConfigEcho shared = shared_config(configs);
  json cfg = json::object();
  for (const auto& [k, v] : shared) cfg[k] = v;
  json list = json::array();
  for (size_t i = 0; i < runs.size(); ++i) {
    list.push_back(run_json(runs[i]));
    const ConfigEcho own = own_config(configs[i], shared);
    if (own.empty()) continue;
    json run_cfg = json::object();
    for (const auto& [k, v] : own) run_cfg[k] = v;
    list.back()["config"] = run_cfg;
  }
  // schema_version 5: the top-level config holds the keys every run shares, a run's own keys
  // are in its "config" (runs on different presets). Since 4: total_cycles is when every record
  // completed under the core model (with overlap), ideal_cycles the same with translation free;
  // translation_fraction and translation_cpi come from their difference (docs/REPORT.md).
  out << json{{"schema_version", kReportSchemaVersion}, {"config", cfg}, {"runs", list}}.dump(2)
      << "\n";
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

void write_csv_report(std::ostream& out, const std::vector<RunResult>& runs,
                      const std::vector<ConfigEcho>& configs) {
  // One row per run, one column per leaf of the run's JSON (the union over runs, in order of
  // first appearance; a run without a column leaves it empty), then the configuration echo as
  // config.<key> columns (the run's whole configuration).
  std::vector<std::vector<std::pair<std::string, std::string>>> rows;
  std::vector<std::string> columns;
  for (size_t i = 0; i < runs.size(); ++i) {
    rows.emplace_back();
    flatten(run_json(runs[i]), "", rows.back());
    for (const auto& [k, v] : configs[i]) rows.back().emplace_back("config." + k, v);
    for (const auto& [k, v] : rows.back()) {
      if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
    }
  }
  for (size_t c = 0; c < columns.size(); ++c) out << (c ? "," : "") << csv_field(columns[c]);
  out << "\n";
  for (const auto& row : rows) {
    for (size_t c = 0; c < columns.size(); ++c) {
      auto it = std::find_if(row.begin(), row.end(),
                             [&](const auto& kv) { return kv.first == columns[c]; });
      out << (c ? "," : "") << (it == row.end() ? "" : csv_field(it->second));
    }
    out << "\n";
  }
}

void write_stats_text(std::ostream& out, const std::vector<RunResult>& runs) {
  for (const RunResult& r : runs) {
    out << "statistics " << r.arch << " " << r.backend << " " << r.scheme << "\n";
    std::vector<std::pair<std::string, std::string>> leaves;
    flatten(run_json(r)["stats"], "", leaves);
    for (const auto& [k, v] : leaves) out << "  " << k << " = " << v << "\n";
  }
}

}  // namespace nptsim
