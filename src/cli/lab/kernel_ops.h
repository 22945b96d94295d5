// The lab's vocabulary of kernel operations, each one `ip` (or `sysctl`) command run
// through command_runner; "ensure" operations are idempotent so `lab up` can be re-run on
// a half-built or running lab. An empty namespace name means the root namespace.
#pragma once

#include <string>
#include <vector>

#include "common/ip_address.h"

namespace overcast::cli::lab {

std::vector<std::string> list_namespaces();  // names under /run/netns
bool namespace_exists(const std::string& ns);
bool link_exists(const std::string& ns, const std::string& link);
std::vector<std::string> link_names(const std::string& ns);

// Creates the namespace if missing and brings its loopback up.
void ensure_namespace(const std::string& ns);
// Deletes the namespace; quietly does nothing when it is already gone.
void delete_namespace(const std::string& ns);
void delete_link(const std::string& ns, const std::string& link);

void ensure_bridge(const std::string& ns, const std::string& bridge);
// A veth pair with end `a` in namespace `ns_a` and end `b` in `ns_b`. If only one end is
// left (a crashed run), it is deleted and the pair recreated.
void ensure_veth(const std::string& ns_a, const std::string& a, const std::string& ns_b,
                 const std::string& b);
void set_master(const std::string& ns, const std::string& link, const std::string& bridge);
void set_link_up(const std::string& ns, const std::string& link);
void set_link_mtu(const std::string& ns, const std::string& link, int mtu);
void ensure_address(const std::string& ns, const std::string& link, const std::string& cidr);
void ensure_default_route(const std::string& ns, const std::string& via);
void set_sysctl(const std::string& ns, const std::string& key, const std::string& value);
// Turns IPv6 off for every current and future interface of the namespace, so the lab's
// links and VMs send no router or neighbour solicitations that would blur captures.
void disable_ipv6(const std::string& ns);
// Moves `link` from `from_ns` into `to_ns` (the link loses its addresses and goes down).
void move_link(const std::string& from_ns, const std::string& link, const std::string& to_ns);

// Every IPv4 prefix routed or addressed in the root namespace, to pick a free subnet.
std::vector<IpPrefix> root_ipv4_prefixes();

// PIDs of the processes whose network namespace is `ns` (`ip netns pids`).
std::vector<int> namespace_pids(const std::string& ns);

}  // namespace overcast::cli::lab
