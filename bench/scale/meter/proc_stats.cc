#include "bench/scale/meter/proc_stats.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace overcast::bench {

namespace {
std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool kib_field(const std::string& text, const std::string& name, uint64_t& out) {
  const size_t at = text.find(name + ":");
  if (at == std::string::npos) return false;
  std::istringstream line(text.substr(at + name.size() + 1));
  uint64_t kib = 0;
  std::string unit;
  if (!(line >> kib >> unit) || unit != "kB") return false;
  out = kib * 1024;
  return true;
}
}  // namespace

bool parse_status_memory(const std::string& status_text, ProcSample& out) {
  return kib_field(status_text, "VmRSS", out.rss_bytes) && kib_field(status_text, "VmHWM", out.peak_rss_bytes);
}

bool parse_stat_cpu(const std::string& stat_text, long clock_ticks, ProcSample& out) {
  // The command name (field 2) is in parentheses and may hold spaces: count the
  // fields after its closing parenthesis. utime and stime are fields 14 and 15.
  const size_t close = stat_text.rfind(')');
  if (close == std::string::npos || clock_ticks <= 0) return false;
  std::istringstream rest(stat_text.substr(close + 1));
  std::string field;
  uint64_t utime = 0, stime = 0;
  for (int number = 3; number <= 15; ++number) {
    if (!(rest >> field)) return false;
    try {
      if (number == 14) utime = std::stoull(field);
      if (number == 15) stime = std::stoull(field);
    } catch (const std::exception&) {
      return false;
    }
  }
  out.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(clock_ticks);
  return true;
}

std::optional<ProcSample> sample_process(pid_t pid) {
  const std::string base = "/proc/" + std::to_string(pid);
  auto status = read_text(base + "/status");
  auto stat = read_text(base + "/stat");
  ProcSample sample;
  if (!status || !stat || !parse_status_memory(*status, sample) ||
      !parse_stat_cpu(*stat, ::sysconf(_SC_CLK_TCK), sample)) {
    return std::nullopt;
  }
  return sample;
}

uint64_t file_size_or_zero(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<uint64_t>(size);
}

}  // namespace overcast::bench
