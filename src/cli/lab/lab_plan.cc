#include "cli/lab/lab_plan.h"

#include <cctype>

namespace overcast::cli::lab {
namespace {

Ipv4Address make_ipv4(int a, int b, int c, int d) {
  return Ipv4Address{static_cast<uint32_t>((a << 24) | (b << 16) | (c << 8) | d)};
}

}  // namespace

std::optional<std::string> prefix_problem(const std::string& prefix) {
  if (prefix.empty() || prefix.size() > kMaxPrefixLength) {
    return "lab prefix must be 1-" + std::to_string(kMaxPrefixLength) +
           " characters (interface names are limited to 15): '" + prefix + "'";
  }
  if (!std::islower(static_cast<unsigned char>(prefix[0]))) {
    return "lab prefix must start with a lowercase letter: '" + prefix + "'";
  }
  for (char c : prefix) {
    if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c))) {
      return "lab prefix may hold only lowercase letters and digits: '" + prefix + "'";
    }
  }
  return std::nullopt;
}

std::optional<std::string> vm_name_problem(const std::string& name) {
  if (name.empty() || name.size() > kMaxVmNameLength) {
    return "VM name must be 1-" + std::to_string(kMaxVmNameLength) + " characters: '" + name + "'";
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return "VM name may hold only letters, digits, '-' and '_': '" + name + "'";
    }
  }
  if (name == "fab" || name == kExternalHostName || parse_host_name(name) != 0) {
    return "VM name '" + name + "' is reserved for the lab's fabric, hypervisors and outside host";
  }
  return std::nullopt;
}

std::string host_name(int index) { return "hv" + std::to_string(index); }

int parse_host_name(const std::string& name) {
  if (name.size() < 3 || name.size() > 4 || name.compare(0, 2, "hv") != 0) return 0;
  int value = 0;
  for (size_t i = 2; i < name.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return 0;
    value = value * 10 + (name[i] - '0');
  }
  if (name[2] == '0' || value < 1 || value > kMaxHosts) return 0;
  return value;
}

int leaf_of_host(int index) { return ((index - 1) % kLeafCount) + 1; }

std::string leaf_subnet(int leaf) { return "172.16." + std::to_string(leaf) + ".0/24"; }

Ipv4Address leaf_router_ip(int leaf) { return make_ipv4(172, 16, leaf, 1); }

Ipv4Address host_underlay_ip(int index) {
  return make_ipv4(172, 16, leaf_of_host(index), 10 + index);
}

std::string mgmt_subnet(int octet) { return "10.254." + std::to_string(octet) + ".0/24"; }

Ipv4Address mgmt_bridge_ip(int octet) { return make_ipv4(10, 254, octet, 1); }

Ipv4Address host_mgmt_ip(int octet, int index) { return make_ipv4(10, 254, octet, 10 + index); }

std::optional<int> gateway_priority(int index) {
  if (index < 1 || index > kGatewayHosts) return std::nullopt;
  return kGatewayHosts + 1 - index;
}


}  // namespace overcast::cli::lab
