#include "sim/calibrate/host_info.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace nptsim::calibrate {

namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The value of the first "key<spaces>: value" line of a /proc text, trimmed; empty if absent.
std::string field(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const size_t colon = line.find(':');
    if (colon != std::string::npos && trim(line.substr(0, colon)) == key)
      return trim(line.substr(colon + 1));
  }
  return "";
}

const char* build_arch() {
#if defined(__x86_64__)
  return "x86_64";
#elif defined(__aarch64__)
  return "aarch64";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#else
  return "unknown";
#endif
}

// Appends "what" to the evidence list `ev` ("; "-separated).
void note(std::string& ev, const std::string& what) { ev += (ev.empty() ? "" : "; ") + what; }

// Looks for a hypervisor: fills info.virtual_machine and info.vm_evidence.
void detect_vm(HostInfo& info, const std::string& cpuinfo) {
  std::string ev;
  if (cpuinfo_has_flag(cpuinfo, "hypervisor")) note(ev, "/proc/cpuinfo flag 'hypervisor'");
  for (const char* f : {"sys_vendor", "product_name"}) {
    const std::string path = std::string("/sys/class/dmi/id/") + f;
    const std::string v = trim(read_text_file(path));
    if (!v.empty() && dmi_names_vm(v)) note(ev, path + " = '" + v + "'");
  }
  const std::string hv = trim(read_text_file("/sys/hypervisor/type"));
  if (!hv.empty()) note(ev, "/sys/hypervisor/type = '" + hv + "'");
  const std::string dt = read_text_file("/sys/firmware/devicetree/base/compatible");
  if (dt.find("linux,dummy-virt") != std::string::npos)
    note(ev, "device tree compatible 'linux,dummy-virt' (QEMU virt)");
  info.virtual_machine = !ev.empty();
  info.vm_evidence =
      ev.empty() ? "none found (looked at the cpuinfo 'hypervisor' flag, DMI sys_vendor and "
                   "product_name, /sys/hypervisor/type, the device tree)"
                 : ev;
}

}  // namespace

std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string cpuinfo_model(const std::string& cpuinfo) {
  for (const char* key : {"model name", "Processor", "cpu model", "uarch"}) {
    const std::string v = field(cpuinfo, key);
    if (!v.empty()) return v;
  }
  const std::string impl = field(cpuinfo, "CPU implementer"), part = field(cpuinfo, "CPU part");
  if (!impl.empty()) return "Arm implementer " + impl + " part " + part;
  return "unknown";
}

bool cpuinfo_has_flag(const std::string& cpuinfo, const std::string& flag) {
  std::string flags = field(cpuinfo, "flags");
  if (flags.empty()) flags = field(cpuinfo, "Features");
  std::istringstream in(flags);
  for (std::string f; in >> f;)
    if (f == flag) return true;
  return false;
}

std::string thp_mode(const std::string& enabled_file) {
  const size_t open = enabled_file.find('['), close = enabled_file.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return "unknown";
  return enabled_file.substr(open + 1, close - open - 1);
}

uint64_t meminfo_bytes(const std::string& meminfo, const std::string& name) {
  const std::string v = field(meminfo, name);
  if (v.empty()) return 0;
  uint64_t n = 0;
  for (char c : v) {
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return v.find("kB") != std::string::npos ? n * 1024 : n;
}

bool dmi_names_vm(const std::string& text) {
  const std::string t = lower(text);
  for (const char* name : {"qemu", "kvm", "vmware", "virtualbox", "innotek", "xen", "bochs",
                           "virtual machine", "hyper-v", "amazon ec2", "google compute engine",
                           "bhyve", "parallels", "openstack", "cloud hypervisor", "firecracker"}) {
    if (t.find(name) != std::string::npos) return true;
  }
  return false;
}

uint64_t smaps_anon_huge_bytes(const std::string& smaps, uint64_t start, uint64_t end) {
  std::istringstream in(smaps);
  bool inside = false;
  uint64_t total = 0;
  for (std::string line; std::getline(in, line);) {
    unsigned long long lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-' && line.find(' ') > line.find('-')) {
      inside = lo < end && hi > start;  // a mapping header: "lo-hi perms offset ..."
      continue;
    }
    if (inside && line.rfind("AnonHugePages:", 0) == 0)
      total += meminfo_bytes(line, "AnonHugePages");
  }
  return total;
}

HostInfo read_host_info() {
  HostInfo info;
  const std::string cpuinfo = read_text_file("/proc/cpuinfo");
  info.cpu = cpuinfo_model(cpuinfo);
  info.arch = build_arch();
  detect_vm(info, cpuinfo);
  info.thp = thp_mode(read_text_file("/sys/kernel/mm/transparent_hugepage/enabled"));
  const long page = sysconf(_SC_PAGESIZE);
  info.base_page_bytes = page > 0 ? static_cast<uint64_t>(page) : 0;
  const std::string meminfo = read_text_file("/proc/meminfo");
  info.huge_page_bytes = meminfo_bytes(meminfo, "Hugepagesize");
  info.mem_available = meminfo_bytes(meminfo, "MemAvailable");
  return info;
}

}  // namespace nptsim::calibrate
