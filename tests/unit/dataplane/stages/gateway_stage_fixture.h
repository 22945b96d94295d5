// The L3 gateway through the whole pipeline, on top of the standard fixture
// (pipeline_fixture.h):
//
//   VNI 100 (tenant, 10.0.0.0/24): router R's interface 10.0.0.254 (:f0); VMs 10.0.0.1
//            (slot 0, :01), 10.0.0.2 (slot 1, :02, floating IP 203.0.113.20) and the
//            remote 10.0.0.10 (:0a behind kVtep1)
//   VNI 600 (external "public", 203.0.113.0/24, flat): the uplink at slot 6; R's
//            external leg 203.0.113.10 (:ee), next hop 203.0.113.1 (kNextHopMac)
//
// Frames are written byte by byte and every checksum the tests expect is computed here,
// with this file's own one's-complement sum (RFC 1071), not the data plane's.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dataplane/pipeline_fixture.h"

namespace overcast::dataplane::testing {

inline constexpr PortSlot kUplink = 6;
inline constexpr uint32_t kExternalVni = 600;
inline constexpr uint32_t kTenantVni = 100;
inline constexpr uint32_t kRouterInside = 0x0a0000fe;  // 10.0.0.254
inline constexpr uint32_t kExternalIp = 0xcb00710a;    // 203.0.113.10
inline constexpr uint32_t kFloatingIp = 0xcb007114;    // 203.0.113.20
inline constexpr uint32_t kNextHop = 0xcb007101;       // 203.0.113.1
inline constexpr uint32_t kServer = 0xc6336407;        // 198.51.100.7, beyond the next hop
inline constexpr uint32_t kVm0 = 0x0a000001;           // slot 0
inline constexpr uint32_t kVm1 = 0x0a000002;           // slot 1, has the floating IP
inline constexpr uint32_t kRemoteVm = 0x0a00000a;      // :0a behind kVtep1
inline const MacAddress kRouterMac = mac(0xf0);
inline const MacAddress kExternalMac = mac(0xee);
inline const MacAddress kNextHopMac{{0x02, 0, 0, 0, 0, 0x01}};
inline const MacAddress kOutsiderMac{{0x02, 0, 0, 0, 0, 0x99}};

// ---- frames and their fields -------------------------------------------------------

// One's-complement sum of `data` folded to 16 bits, on top of `sum` (RFC 1071).
uint32_t ones_sum(const uint8_t* data, size_t length, uint32_t sum = 0);
uint16_t fold(uint32_t sum);

struct L4 {
  uint8_t protocol;
  std::vector<uint8_t> bytes;  // header + payload; its checksum is filled by ipv4_frame
};
L4 udp(uint16_t sport, uint16_t dport, const std::string& payload = "query");
L4 tcp_syn(uint16_t sport, uint16_t dport);
L4 echo_request(uint16_t id = 0x1234, uint16_t sequence = 1);

// Ethernet + IPv4 (ID 0x1234, DF) + `l4`, the IPv4 and L4 checksums computed here.
std::vector<uint8_t> ipv4_frame(const MacAddress& dst, const MacAddress& src, uint32_t from, uint32_t to,
                                const L4& l4, uint8_t ttl = 64);
// Recomputes both checksums of a frame whose fields a test edited into what it expects.
void refresh_checksums(std::vector<uint8_t>& frame);
bool ip_checksum_valid(const std::vector<uint8_t>& frame);
bool l4_checksum_valid(const std::vector<uint8_t>& frame);

uint32_t ip_source(const std::vector<uint8_t>& f);
uint32_t ip_destination(const std::vector<uint8_t>& f);
uint16_t source_port(const std::vector<uint8_t>& f);
uint16_t destination_port(const std::vector<uint8_t>& f);
void set_ip_source(std::vector<uint8_t>& f, uint32_t ip);
void set_ip_destination(std::vector<uint8_t>& f, uint32_t ip);
void set_source_port(std::vector<uint8_t>& f, uint16_t port);
void set_destination_port(std::vector<uint8_t>& f, uint16_t port);
void set_macs(std::vector<uint8_t>& f, const MacAddress& dst, const MacAddress& src);
void set_ttl(std::vector<uint8_t>& f, uint8_t ttl);

// The 60-byte (padded) Ethernet/IPv4 ARP frame RFC 826 describes.
std::vector<uint8_t> arp_frame(uint16_t operation, const MacAddress& eth_dst, const MacAddress& sender_mac,
                               uint32_t sender_ip, const MacAddress& target_mac, uint32_t target_ip);
// A VXLAN datagram's payload (header + inner frame) as the tunnel socket delivers it.
std::vector<uint8_t> tunnel_payload(uint32_t vni, const std::vector<uint8_t>& inner);
// The inner frame of a captured VXLAN datagram, and its VNI.
std::vector<uint8_t> inner_of(const TunnelCapture::Datagram& d);
uint32_t vni_of(const TunnelCapture::Datagram& d);

// ---- the fixture -------------------------------------------------------------------

class GatewayStageTest : public PipelineTest {
 protected:
  GatewayStageTest();

  // A router with one interface (10.0.0.254/24 on `inside_vni`, `inside_mac`), a
  // default route to its external leg `external_ip`/24 at `external_mac`.
  static std::shared_ptr<route::RouterInstance> make_router(const std::string& id, uint32_t inside_vni,
                                                            const MacAddress& inside_mac, uint32_t external_ip,
                                                            const MacAddress& external_mac, bool served_here,
                                                            uint32_t gateway_vtep);
  // Attaches `router` to its inside segment and, when served here, puts its gateway (SNAT
  // on, `floating` = {floating, fixed} pairs) on the external segment, as router_builder does.
  void install(const std::shared_ptr<const route::RouterInstance>& router,
               const std::vector<std::pair<uint32_t, uint32_t>>& floating = {});
  // The table changed in place: a new version, prepared as a new table would be.
  void publish();
  // R no longer served here: the gateway host is `gateway_vtep`.
  void move_gateway_away(uint32_t gateway_vtep);

  void from_uplink(const std::vector<uint8_t>& frame);
  FakePort& uplink() { return *ports_[kUplink]; }
  // The first frame to the outside asks for the next hop; its answer is learned.
  void resolve_next_hop();
  uint64_t counter(const std::string& stage, const std::string& name);

  std::shared_ptr<const route::RouterInstance> router_;
};

}  // namespace overcast::dataplane::testing
