// Parsers for the compound command-line values (`--fixed-ip subnet=S,ip=IP`,
// `--pool START-END`, `--gateway IP|none`). They check syntax and addresses locally, so a
// typo is a usage error (exit 2) with a precise message instead of a round trip to the API.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace overcast::cli {

struct FixedIpSpec {
  std::string subnet;  // name or ID as typed; "" = let the controller pick the subnet
  std::string ip;      // "" = let the controller allocate from the subnet
};

// "subnet=S,ip=IP", "ip=IP", "subnet=S" ("ip-address" is accepted for "ip", as the
// openstack client spells it). At least one key; the IP must parse.
std::optional<FixedIpSpec> parse_fixed_ip(const std::string& text, std::string& error);

// "10.0.0.10-10.0.0.99" → {"start": ..., "end": ...}; both ends of one family, start <= end.
std::optional<nlohmann::json> parse_allocation_pool(const std::string& text, std::string& error);

// "none" → null (no gateway), an IP → the IP string.
std::optional<nlohmann::json> parse_gateway(const std::string& text, std::string& error);

// An IPv4/IPv6 address, canonicalized ("10.0.0.01" is refused by the shared parser).
std::optional<std::string> parse_ip(const std::string& text, const std::string& what,
                                    std::string& error);

struct PortRange {
  int min = 0;
  int max = 0;
};

// "80" or "8000:8080" (the openstack client's --dst-port): ports 1..65535, min <= max.
std::optional<PortRange> parse_port_range(const std::string& text, std::string& error);

}  // namespace overcast::cli
