#include "agent/view/view_store.h"

#include <fcntl.h>
#include <unistd.h>

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
  // Written and synced before the rename: after a power loss the file is the old view or
  // the new one, never an empty one that would publish an empty table at start-up.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "open " + tmp + ": " + std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool written = done == bytes.size() && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!written) {
    error = "write " + tmp + ": " + std::strerror(saved_errno);
    return false;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = "rename " + tmp + " to " + path + ": " + std::strerror(errno);
    return false;
  }
  // The rename itself lives in the directory: sync it too.
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
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
