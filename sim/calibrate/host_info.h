// What `nptsim calibrate` knows about the machine it measures: the CPU, whether it runs in a
// virtual machine (and the evidence), transparent huge pages, page sizes and free memory. The
// parsers of the /proc and /sys texts are pure functions (unit-tested); read_host_info() reads
// the files and never fails (unreadable files give "unknown" values).
#pragma once

#include <cstdint>
#include <string>

namespace nptsim::calibrate {

struct HostInfo {
  std::string cpu;               // /proc/cpuinfo model name (or Arm implementer/part), "unknown"
  std::string arch;              // the architecture nptsim was built for: x86_64, aarch64, ...
  bool virtual_machine = false;  // any evidence of a hypervisor below us
  std::string vm_evidence;       // what was found, or what was looked at when nothing was
  std::string thp;               // transparent huge pages mode: always, madvise, never, unknown
  uint64_t base_page_bytes = 0;  // the base page size (sysconf)
  uint64_t huge_page_bytes = 0;  // /proc/meminfo Hugepagesize, 0 unknown
  uint64_t mem_available = 0;    // /proc/meminfo MemAvailable in bytes, 0 unknown
};

HostInfo read_host_info();

// The whole text of `path`; empty when it cannot be read.
std::string read_text_file(const std::string& path);

// "model name" of /proc/cpuinfo; else "Processor" / "cpu model" / "uarch"; else the Arm
// "CPU implementer" and "CPU part" codes; "unknown" when none is there.
std::string cpuinfo_model(const std::string& cpuinfo);
// Whether the first "flags" (x86) or "Features" (Arm) line of /proc/cpuinfo lists `flag`.
bool cpuinfo_has_flag(const std::string& cpuinfo, const std::string& flag);
// The selected mode of /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never"
// is "madvise"); "unknown" when none is bracketed.
std::string thp_mode(const std::string& enabled_file);
// A "Field:   123 kB" value of /proc/meminfo in bytes; 0 when the field is absent.
uint64_t meminfo_bytes(const std::string& meminfo, const std::string& field);
// Whether a DMI vendor or product name (/sys/class/dmi/id/sys_vendor, product_name) names a
// virtual platform (QEMU, KVM, VMware, VirtualBox, Xen, Hyper-V, cloud hypervisors, ...).
bool dmi_names_vm(const std::string& text);
// The AnonHugePages bytes of the mappings of /proc/self/smaps that overlap [start, end).
uint64_t smaps_anon_huge_bytes(const std::string& smaps, uint64_t start, uint64_t end);

}  // namespace nptsim::calibrate
