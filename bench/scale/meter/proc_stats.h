// A process's memory and CPU from /proc/<pid> (Linux): what the controller costs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>

namespace overcast::bench {

struct ProcSample {
  uint64_t rss_bytes = 0;       // VmRSS
  uint64_t peak_rss_bytes = 0;  // VmHWM
  double cpu_seconds = 0;       // utime + stime
};

std::optional<ProcSample> sample_process(pid_t pid);
// Parsers of the two files, apart so they can be tested on fixed text.
bool parse_status_memory(const std::string& status_text, ProcSample& out);
bool parse_stat_cpu(const std::string& stat_text, long clock_ticks, ProcSample& out);
// Bytes of a file, 0 if it does not exist.
uint64_t file_size_or_zero(const std::string& path);

}  // namespace overcast::bench
