// SpoofFilter: Neutron's port security (anti-spoofing) for frames a VM sends, while
// port_security_enabled is true. A frame passes only if
//   - its source MAC is the port's MAC or an allowed address pair's MAC;
//   - IPv4/IPv6: its source address belongs to that MAC (fixed IPs for the port's MAC,
//     the pair's ip_address prefix for a pair's MAC; IPv6 also the MAC's EUI-64
//     link-local address). Exceptions, as Neutron's firewall makes them: a DHCP client
//     from 0.0.0.0 (UDP 68 -> 67) and ICMPv6 neighbour solicitation / MLD from :: (DAD);
//   - ARP: the sender MAC equals the frame's source MAC and the sender IP belongs to it
//     (0.0.0.0 for an ARP probe);
//   - it is not a DHCP server reply (UDP 67 -> 68), a DHCPv6 server message
//     (UDP 547 -> 546) or an IPv6 router advertisement: VMs are not servers or routers.
// Other ethertypes pass once the MAC is right (Neutron's firewall does not filter them).
//
// Compiled once per port from its configuration (immutable; publish with the table).
// check() reads the frame only and never allocates; the caller counts the drop by the
// returned reason.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/mac_address.h"
#include "dataplane/conntrack/conn_key.h"
#include "dataplane/route/lpm_table.h"

namespace overcast::dataplane::port_security {

enum class SpoofVerdict : uint8_t {
  kPass,
  kSpoofedMac,    // source MAC not the port's nor an allowed pair's
  kSpoofedIp,     // source address not the port's for that MAC
  kSpoofedArp,    // ARP sender MAC/IP not the port's
  kDhcpServer,    // DHCP/DHCPv6 server message from a VM
  kRouterAdvert,  // IPv6 router advertisement from a VM
  kMalformed,     // headers shorter than they claim
  kCount,
};
inline constexpr std::array<std::string_view, static_cast<size_t>(SpoofVerdict::kCount)> kSpoofVerdictNames = {
    "pass", "spoofed_mac", "spoofed_ip", "spoofed_arp", "dhcp_server", "router_advert", "malformed"};

struct AddressPrefix {
  uint8_t family = 4;
  conntrack::IpBytes address{};
  uint8_t length = 32;
};

struct AllowedAddressPair {
  MacAddress mac;  // Neutron fills the port's MAC when the pair gives none
  AddressPrefix prefix;
};

struct PortSecurityConfig {
  MacAddress mac;
  std::vector<AddressPrefix> fixed_ips;  // each a /32 or /128
  std::vector<AllowedAddressPair> allowed_address_pairs;
};

class SpoofFilter {
 public:
  static std::shared_ptr<const SpoofFilter> compile(const PortSecurityConfig& config);

  SpoofVerdict check(const uint8_t* frame, size_t length) const;

 private:
  struct MacEntry {
    uint64_t mac = 0;
    route::LpmTable<uint32_t, 32, bool> v4;
    route::LpmTable<route::Uint128, 128, bool> v6;
  };
  const MacEntry* find_mac(uint64_t mac) const;
  SpoofVerdict check_ipv4(const MacEntry& m, const uint8_t* l3, size_t length) const;
  SpoofVerdict check_ipv6(const MacEntry& m, const uint8_t* l3, size_t length) const;
  SpoofVerdict check_arp(const MacEntry& m, uint64_t eth_src, const uint8_t* l3, size_t length) const;

  std::vector<MacEntry> macs_;  // a handful: the port's MAC and its pairs' MACs
};

}  // namespace overcast::dataplane::port_security
