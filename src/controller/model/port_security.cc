#include "controller/model/port_security.h"

#include <algorithm>
#include <set>

#include "common/ip_address.h"
#include "common/mac_address.h"

namespace overcast::controller {

namespace {
// Neutron's max_allowed_address_pair default.
constexpr size_t kMaxAddressPairs = 10;
}  // namespace

bool is_service_port(const Port& port) { return port.device_owner.starts_with("network:"); }

Status set_security_groups(const ModelState& state, const std::vector<std::string>& groups, Port& port) {
  std::vector<std::string> unique;
  for (const auto& id : groups) {
    if (!state.find_security_group(id)) {
      return ModelError::not_found("SecurityGroupNotFound", "Security group " + id + " does not exist");
    }
    if (std::find(unique.begin(), unique.end(), id) == unique.end()) unique.push_back(id);
  }
  port.security_groups = std::move(unique);
  return std::nullopt;
}

Status set_address_pairs(const std::vector<AllowedAddressPair>& pairs, Port& port) {
  if (pairs.size() > kMaxAddressPairs) {
    return ModelError{400, "AllowedAddressPairExhausted",
                      "The number of allowed address pair exceeds the maximum " + std::to_string(kMaxAddressPairs) +
                          " (allowed_address_pairs)."};
  }
  std::vector<AllowedAddressPair> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& pair : pairs) {
    AllowedAddressPair canonical;
    if (auto ip = IpAddress::parse(pair.ip_address)) {
      canonical.ip_address = ip->to_string();
    } else if (auto prefix = IpPrefix::parse(pair.ip_address)) {
      canonical.ip_address = prefix->to_string();
    } else {
      return ModelError::bad_request("Invalid input for allowed_address_pairs. Reason: '" + pair.ip_address +
                                     "' is not a valid IP address or CIDR (ip_address).");
    }
    if (pair.mac_address.empty()) {
      canonical.mac_address = port.mac_address;
    } else {
      auto mac = MacAddress::parse(pair.mac_address);
      if (!mac || mac->is_multicast() || mac->is_zero()) {
        return ModelError::bad_request("Invalid input for allowed_address_pairs. Reason: '" + pair.mac_address +
                                       "' is not a valid unicast MAC address (mac_address).");
      }
      canonical.mac_address = mac->to_string();
    }
    if (!seen.insert({canonical.ip_address, canonical.mac_address}).second) {
      return ModelError{400, "DuplicateAddressPairInRequest",
                        "Request contains duplicate address pair: mac_address " + canonical.mac_address +
                            " ip_address " + canonical.ip_address + " (allowed_address_pairs)."};
    }
    out.push_back(canonical);
  }
  port.allowed_address_pairs = std::move(out);
  return std::nullopt;
}

Status check_port_security(const Port& port, bool updating) {
  if (port.port_security_enabled) return std::nullopt;
  if (!port.security_groups.empty()) {
    const char* reason = "Port has security group associated. Cannot disable port security or ip address "
                         "until security group is removed (port_security_enabled, security_groups).";
    if (updating) return ModelError::conflict("PortSecurityPortHasSecurityGroup", reason);
    return ModelError{400, "PortSecurityAndIPRequiredForSecurityGroups",
                      "Port security must be enabled and port must have an IP address in order to use security "
                      "groups (port_security_enabled, security_groups)."};
  }
  if (!port.allowed_address_pairs.empty()) {
    return ModelError::conflict("AddressPairAndPortSecurityRequired",
                                "Port Security must be enabled in order to have allowed address pairs on a port "
                                "(port_security_enabled, allowed_address_pairs).");
  }
  return std::nullopt;
}

}  // namespace overcast::controller
