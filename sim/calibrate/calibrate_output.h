// What `nptsim calibrate` measured and fitted, and its outputs: measured.json, measured.csv,
// fitted.ini (a preset to layer over a base one) and the summary on stdout.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "sim/calibrate/fitted_keys.h"
#include "sim/calibrate/host_info.h"
#include "sim/calibrate/native_chase.h"
#include "sim/calibrate/series.h"

namespace nptsim::calibrate {

struct MeasuredPoint {
  uint64_t pages = 0;  // pages the footprint spans (page_bytes each)
  uint64_t footprint_bytes = 0;
  uint64_t accesses = 0;         // per timed run
  double ns_per_access = 0;      // the fastest timed run kept (ChaseMeasurement::ns_min)
  double ns_median = 0;          // median of the runs kept
  int clean_runs = 0;            // runs not preempted
  double cycles_per_access = 0;  // ns_per_access x the core clock; 0 when it is unknown
  double huge_fraction = 0;      // 2 MiB pages: share smaps showed backed by huge pages
};

struct MeasuredSeries {
  const SeriesDef* def = nullptr;
  std::vector<MeasuredPoint> points;
  // 2 MiB series: whether smaps showed every point's region fully backed by huge pages.
  bool huge_backed() const;
  double min_huge_fraction() const;
};

struct Calibration {
  HostInfo host;
  CoreClock clock;
  uint64_t seed = 1;
  bool quick = false;
  std::vector<MeasuredSeries> series;
  FitResult fit;
};

// The verdict on virtualisation and what it means for the walks measured.
std::string vm_verdict(const HostInfo& h);

void write_measured_json(std::ostream& out, const Calibration& c);
void write_measured_csv(std::ostream& out, const Calibration& c);
// Only the fitted keys, each under a comment saying where and how it was measured.
void write_fitted_ini(std::ostream& out, const Calibration& c);
void print_summary(std::ostream& out, const Calibration& c);

}  // namespace nptsim::calibrate
