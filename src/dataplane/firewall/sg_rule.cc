#include "dataplane/firewall/sg_rule.h"

#include <array>
#include <charconv>
#include <utility>

namespace overcast::dataplane::firewall {

std::optional<int> protocol_number(std::string_view name) {
  if (name.empty() || name == "any") return -1;
  // Neutron's named protocols (neutron_lib.constants.IP_PROTOCOL_MAP).
  static constexpr std::array<std::pair<std::string_view, int>, 22> kNames = {{
      {"ah", 51},         {"dccp", 33},      {"egp", 8},        {"esp", 50},     {"gre", 47},
      {"hopopt", 0},      {"icmp", 1},       {"igmp", 2},       {"ipip", 4},     {"ipv6-encap", 41},
      {"ipv6-frag", 44},  {"ipv6-icmp", 58}, {"icmpv6", 58},    {"ipv6-nonxt", 59}, {"ipv6-opts", 60},
      {"ipv6-route", 43}, {"ospf", 89},      {"pgm", 113},      {"rsvp", 46},    {"sctp", 132},
      {"tcp", 6},         {"udp", 17},
  }};
  for (const auto& [n, v] : kNames)
    if (n == name) return v;
  if (name == "udplite") return 136;
  int value = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), value);
  if (ec != std::errc{} || end != name.data() + name.size() || value < 0 || value > 255) return std::nullopt;
  return value;
}

bool protocol_has_ports(int protocol) {
  return protocol == 6 || protocol == 17 || protocol == 132 || protocol == 33 || protocol == 136;
}

bool protocol_is_icmp(int protocol) { return protocol == 1 || protocol == 58; }

}  // namespace overcast::dataplane::firewall
