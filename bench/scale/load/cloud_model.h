// What the bench knows the cloud holds: where every port is bound. From it come
// the hosts a change concerns and the ideal view of each host (the networks with
// a port on it: "net/N", plus "lport/P" or "rport/P" for every port of those
// networks, "subnet/S" for every subnet of those networks, and "sg/G" + "sgm/G"
// for every security group of the host's own ports: the bench's ports are in their
// project's default group, whose rules name the group itself as remote group, so
// its members travel with it), against which the hosts' real state is compared.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace overcast::bench {

class CloudModel {
 public:
  // Each returns false (and changes nothing) when the call makes no sense: an id
  // already known, an unknown id, a move to the host it is on.
  bool add_port(const std::string& port, const std::string& network, const std::string& host,
                std::vector<std::string> security_groups = {});
  bool move_port(const std::string& port, const std::string& host);
  bool remove_port(const std::string& port);
  // A subnet of `network`; false when the id is already known.
  bool add_subnet(const std::string& subnet, const std::string& network);

  // Hosts with at least one port of `network`.
  std::vector<std::string> hosts_of(const std::string& network) const;
  const std::string* network_of(const std::string& port) const;
  const std::string* host_of(const std::string& port) const;

  size_t ideal_entries(const std::string& host) const;
  std::vector<std::string> ideal_keys(const std::string& host) const;  // sorted
  size_t ports() const { return ports_.size(); }
  std::vector<std::string> port_ids() const;

 private:
  struct Place {
    std::string network, host;
    std::vector<std::string> security_groups;
  };
  // The groups of the host's own ports.
  std::set<std::string> host_groups(const std::string& host) const;
  struct Network {
    std::map<std::string, std::set<std::string>> ports_by_host;  // only hosts with ports
    size_t ports = 0;
    std::set<std::string> subnets;
  };
  void bind(const std::string& port, const Place& place);
  void unbind(const std::string& port, const Place& place);

  std::unordered_map<std::string, Place> ports_;
  std::unordered_map<std::string, Network> networks_;
  std::unordered_map<std::string, std::set<std::string>> host_networks_;
  std::set<std::string> subnet_ids_;
};

// The hosts a port change concerns: those of its network before and after it.
std::vector<std::string> concerned_hosts(const std::vector<std::string>& before,
                                         const std::vector<std::string>& after);

}  // namespace overcast::bench
