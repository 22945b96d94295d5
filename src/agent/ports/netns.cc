#include "agent/ports/netns.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <thread>

namespace overcast::agent {

namespace {

// Closes a file descriptor on every path out of a scope.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

void run_on_this_thread(const std::string& netns_path, const std::function<void()>& fn, std::string& error,
                        bool& ok) {
  FdGuard original{::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)};
  if (original.fd < 0) {
    error = errno_text("open /proc/thread-self/ns/net");
    return;
  }
  FdGuard target{::open(netns_path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (target.fd < 0) {
    error = errno_text("open " + netns_path);
    return;
  }
  if (::setns(target.fd, CLONE_NEWNET) != 0) {
    error = errno_text("setns " + netns_path);
    return;
  }
  try {
    fn();
    ok = true;
  } catch (const std::exception& e) {
    error = std::string("in ") + netns_path + ": " + e.what();
  } catch (...) {
    error = "in " + netns_path + ": unknown exception";
  }
  if (::setns(original.fd, CLONE_NEWNET) != 0) {
    // The thread ends right after this, so the foreign namespace dies with it.
    error = errno_text("setns back from " + netns_path);
    ok = false;
  }
}

}  // namespace

bool run_in_netns(const std::string& netns_path, const std::function<void()>& fn, std::string& error) {
  bool ok = false;
  std::string thread_error;
  std::thread worker([&] { run_on_this_thread(netns_path, fn, thread_error, ok); });
  worker.join();
  if (!ok) error = thread_error;
  return ok;
}

std::vector<std::string> list_named_netns(const std::string& dir) {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    // `ip netns` bind-mounts nsfs onto regular files; anything else is not a namespace.
    if (entry.is_regular_file(ec)) paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

bool link_exists_here(const std::string& name) { return ::if_nametoindex(name.c_str()) != 0; }

std::vector<std::string> link_names_here() {
  std::vector<std::string> names;
  struct if_nameindex* list = ::if_nameindex();
  if (list == nullptr) return names;
  for (struct if_nameindex* i = list; i->if_index != 0 && i->if_name != nullptr; ++i) names.emplace_back(i->if_name);
  ::if_freenameindex(list);
  return names;
}

}  // namespace overcast::agent
