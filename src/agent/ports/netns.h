// Running code inside another network namespace, safely.
//
// setns(CLONE_NEWNET) changes only the calling thread, so run_in_netns does it on
// a short-lived thread of its own: no gRPC or worker thread ever changes namespace.
// That thread saves /proc/thread-self/ns/net first and goes back to it before it
// ends, so nothing it leaves behind (e.g. a thread-local cache) sees a foreign one.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace overcast::agent {

// Where `ip netns add NAME` pins named namespaces.
inline constexpr const char* kNamedNetnsDir = "/run/netns";

// Runs `fn` on a new thread inside the namespace pinned at `netns_path` and waits
// for it. False with `error` when the namespace cannot be entered or `fn` threw.
bool run_in_netns(const std::string& netns_path, const std::function<void()>& fn, std::string& error);

// Paths of the named namespaces (/run/netns/*), sorted; empty if there are none.
std::vector<std::string> list_named_netns(const std::string& dir = kNamedNetnsDir);

// True if an interface called `name` exists in the calling thread's namespace.
bool link_exists_here(const std::string& name);

// Names of the interfaces of the calling thread's namespace.
std::vector<std::string> link_names_here();

}  // namespace overcast::agent
