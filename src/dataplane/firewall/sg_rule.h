// A security group rule as Neutron defines it, and the packet facts a rule is matched
// against. Neutron's semantics: allow-list, default deny in both directions; a packet
// passes if any rule of any of its port's groups matches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dataplane/conntrack/conn_key.h"

namespace overcast::dataplane::firewall {

using conntrack::IpBytes;

enum class Direction : uint8_t { kIngress, kEgress };  // to the VM, from the VM

struct SgRule {
  Direction direction = Direction::kIngress;
  uint8_t family = 4;           // ethertype IPv4 (4) or IPv6 (6)
  int protocol = -1;            // IP protocol number; -1 means any
  // TCP/UDP/SCTP/DCCP/UDP-Lite: destination port range. ICMP/ICMPv6: min is the type,
  // max the code (Neutron's reuse of the fields). Absent means all.
  std::optional<uint16_t> port_range_min;
  std::optional<uint16_t> port_range_max;
  // The other end (source for ingress, destination for egress): at most one of these.
  std::optional<IpBytes> remote_prefix;
  uint8_t remote_prefix_length = 0;
  std::optional<std::string> remote_group_id;
};

// "tcp", "udp", "icmp", "ipv6-icmp"/"icmpv6", … or a number 0-255; "any"/"" is -1.
// nullopt for a name we do not know.
std::optional<int> protocol_number(std::string_view name);

// Protocols whose rules take a port range (Neutron refuses ports for the others).
bool protocol_has_ports(int protocol);
bool protocol_is_icmp(int protocol);

// What the firewall looks at in a packet that opens a connection.
struct FirewallQuery {
  Direction direction = Direction::kIngress;
  uint8_t family = 4;
  uint8_t protocol = 0;
  IpBytes remote{};        // source of an ingress packet, destination of an egress one
  uint16_t port_key = 0;   // destination port; for ICMP type << 8 | code
};

}  // namespace overcast::dataplane::firewall
