// What a lab is made of, kept as JSON in <state-dir>/lab.json so that `status`, `vm`,
// `exec` and a second `up` know the lab without guessing. The kernel stays the truth for
// namespaces and links (`up` re-checks them); this file is the truth for choices made
// once (management subnet, API port) and for VMs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace overcast::cli::lab {

struct HostRecord {
  std::string name;  // "hv1"
  int index = 0;
  std::string underlay_ip;
  std::string mgmt_ip;
  int leaf = 0;
};

struct VmRecord {
  std::string name;
  std::string host;  // "hv2"
  std::string port_id;
  std::string tap;
  std::string mac;
  std::string ip;  // empty when the port has no IPv4 fixed IP
  int prefix_length = 0;
  std::string gateway;  // empty when the subnet has none
  int mtu = 0;
  bool dhcp = false;  // addressed by a DHCP client in the VM (vm_dhcp.h), else statically
};

struct LabState {
  std::string prefix;
  int api_port = 0;
  int mgmt_octet = 0;  // K of 10.254.K.0/24
  std::string bin_dir;
  std::vector<HostRecord> hosts;
  std::vector<VmRecord> vms;

  const HostRecord* find_host(const std::string& name) const;
  const VmRecord* find_vm(const std::string& name) const;
  void upsert_vm(const VmRecord& vm);

  // Throws LabError when the file exists but cannot be read or is malformed.
  static std::optional<LabState> load(const std::string& path);
  // Written to a temporary file and renamed, so a crash never leaves half a file.
  void save(const std::string& path) const;
};

nlohmann::json to_json(const LabState& state);
LabState lab_state_from_json(const nlohmann::json& json);  // throws LabError

}  // namespace overcast::cli::lab
