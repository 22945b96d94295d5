#include "agent/view/view_store.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace overcast::agent {

bool save_view(const std::string& path, const ViewMap& view, std::string& error) {
  sb::Snapshot snapshot;
  for (const auto& [key, entry] : view) *snapshot.add_entries() = entry;
  std::string bytes;
  if (!snapshot.SerializeToString(&bytes)) {
    error = "cannot serialize the view";
    return false;
  }
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      error = "open " + tmp + ": " + std::strerror(errno);
      return false;
    }
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      error = "write " + tmp + ": " + std::strerror(errno);
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = "rename " + tmp + " to " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

std::optional<std::vector<sb::ViewEntry>> load_view(const std::string& path, std::string& error) {
  error.clear();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "open " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  sb::Snapshot snapshot;
  if (!snapshot.ParseFromIstream(&in)) {
    error = path + " is not a serialized Snapshot";
    return std::nullopt;
  }
  return std::vector<sb::ViewEntry>(snapshot.entries().begin(), snapshot.entries().end());
}

}  // namespace overcast::agent
