#include "dataplane/stages/gateway_stage_fixture.h"

#include <algorithm>
#include <cstring>

namespace overcast::dataplane::testing {

namespace {

constexpr size_t kEth = 14;
constexpr size_t kIp = 20;  // the frames here carry no IPv4 options
constexpr size_t kL4 = kEth + kIp;

uint16_t load16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t load32(const uint8_t* p) { return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3]; }
void store16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
// Appends by resize and copy: GCC 12's -Warray-bounds misreads vector::insert at the
// end of a small vector (a false positive that -Werror turns into a failed build).
void append(std::vector<uint8_t>& to, const std::vector<uint8_t>& bytes) {
  const size_t at = to.size();
  to.resize(at + bytes.size());
  std::copy(bytes.begin(), bytes.end(), to.begin() + static_cast<long>(at));
}
void append(std::vector<uint8_t>& to, const std::string& bytes) {
  append(to, std::vector<uint8_t>(bytes.begin(), bytes.end()));
}
void store32(uint8_t* p, uint32_t v) {
  store16(p, static_cast<uint16_t>(v >> 16));
  store16(p + 2, static_cast<uint16_t>(v));
}

// Where the L4 checksum field is, by protocol.
size_t checksum_offset(uint8_t protocol) {
  switch (protocol) {
    case 6: return 16;   // TCP
    case 17: return 6;   // UDP
    default: return 2;   // ICMP
  }
}

uint16_t l4_checksum(const std::vector<uint8_t>& f) {
  const uint8_t protocol = f[kEth + 9];
  const size_t length = f.size() - kL4;
  uint32_t sum = 0;
  if (protocol != 1) {  // TCP and UDP cover the pseudo-header (RFC 793, RFC 768)
    sum = ones_sum(f.data() + kEth + 12, 8);
    sum += protocol;
    sum += static_cast<uint32_t>(length);
  }
  return fold(ones_sum(f.data() + kL4, length, sum));
}

}  // namespace

uint32_t ones_sum(const uint8_t* data, size_t length, uint32_t sum) {
  for (size_t i = 0; i + 1 < length; i += 2) sum += load16(data + i);
  if (length % 2) sum += uint32_t{data[length - 1]} << 8;
  return sum;
}

uint16_t fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

L4 udp(uint16_t sport, uint16_t dport, const std::string& payload) {
  std::vector<uint8_t> b(8);
  store16(b.data(), sport);
  store16(b.data() + 2, dport);
  store16(b.data() + 4, static_cast<uint16_t>(8 + payload.size()));
  append(b, payload);
  return {17, b};
}

L4 tcp_syn(uint16_t sport, uint16_t dport) {
  std::vector<uint8_t> b(20);
  store16(b.data(), sport);
  store16(b.data() + 2, dport);
  store32(b.data() + 4, 0x01020304);  // sequence
  b[12] = 5 << 4;                     // data offset: 5 words
  b[13] = 0x02;                       // SYN
  store16(b.data() + 14, 64240);      // window
  return {6, b};
}

L4 echo_request(uint16_t id, uint16_t sequence) {
  std::vector<uint8_t> b = {8, 0, 0, 0, 0, 0, 0, 0, 'p', 'i', 'n', 'g'};
  store16(b.data() + 4, id);
  store16(b.data() + 6, sequence);
  return {1, b};
}

std::vector<uint8_t> ipv4_frame(const MacAddress& dst, const MacAddress& src, uint32_t from, uint32_t to,
                                const L4& l4, uint8_t ttl) {
  std::vector<uint8_t> f(kL4);
  set_macs(f, dst, src);
  store16(f.data() + 12, 0x0800);
  f[kEth] = 0x45;
  store16(f.data() + kEth + 2, static_cast<uint16_t>(kIp + l4.bytes.size()));
  store16(f.data() + kEth + 4, 0x1234);
  f[kEth + 6] = 0x40;  // DF
  f[kEth + 8] = ttl;
  f[kEth + 9] = l4.protocol;
  store32(f.data() + kEth + 12, from);
  store32(f.data() + kEth + 16, to);
  append(f, l4.bytes);
  refresh_checksums(f);
  return f;
}

void refresh_checksums(std::vector<uint8_t>& f) {
  store16(f.data() + kEth + 10, 0);
  store16(f.data() + kEth + 10, fold(ones_sum(f.data() + kEth, kIp)));
  const size_t at = kL4 + checksum_offset(f[kEth + 9]);
  store16(f.data() + at, 0);
  uint16_t sum = l4_checksum(f);
  if (f[kEth + 9] == 17 && sum == 0) sum = 0xffff;  // UDP: 0 means "none" (RFC 768)
  store16(f.data() + at, sum);
}

bool ip_checksum_valid(const std::vector<uint8_t>& f) {
  return f.size() >= kL4 && fold(ones_sum(f.data() + kEth, kIp)) == 0;
}

bool l4_checksum_valid(const std::vector<uint8_t>& f) { return f.size() > kL4 && l4_checksum(f) == 0; }

uint32_t ip_source(const std::vector<uint8_t>& f) { return load32(f.data() + kEth + 12); }
uint32_t ip_destination(const std::vector<uint8_t>& f) { return load32(f.data() + kEth + 16); }
uint16_t source_port(const std::vector<uint8_t>& f) { return load16(f.data() + kL4); }
uint16_t destination_port(const std::vector<uint8_t>& f) { return load16(f.data() + kL4 + 2); }
void set_ip_source(std::vector<uint8_t>& f, uint32_t ip) { store32(f.data() + kEth + 12, ip); }
void set_ip_destination(std::vector<uint8_t>& f, uint32_t ip) { store32(f.data() + kEth + 16, ip); }
void set_source_port(std::vector<uint8_t>& f, uint16_t port) { store16(f.data() + kL4, port); }
void set_destination_port(std::vector<uint8_t>& f, uint16_t port) { store16(f.data() + kL4 + 2, port); }
void set_ttl(std::vector<uint8_t>& f, uint8_t ttl) { f[kEth + 8] = ttl; }

void set_macs(std::vector<uint8_t>& f, const MacAddress& dst, const MacAddress& src) {
  std::memcpy(f.data(), dst.bytes.data(), 6);
  std::memcpy(f.data() + 6, src.bytes.data(), 6);
}

std::vector<uint8_t> arp_frame(uint16_t operation, const MacAddress& eth_dst, const MacAddress& sender_mac,
                               uint32_t sender_ip, const MacAddress& target_mac, uint32_t target_ip) {
  std::vector<uint8_t> f;
  put_mac(f, eth_dst);
  put_mac(f, sender_mac);
  put16(f, 0x0806);
  put16(f, 1);       // Ethernet
  put16(f, 0x0800);  // IPv4
  f.push_back(6);
  f.push_back(4);
  put16(f, operation);
  put_mac(f, sender_mac);
  put32(f, sender_ip);
  put_mac(f, target_mac);
  put32(f, target_ip);
  f.resize(60, 0);
  return f;
}

std::vector<uint8_t> tunnel_payload(uint32_t vni, const std::vector<uint8_t>& inner) {
  std::vector<uint8_t> f(8, 0);
  f[0] = 0x08;  // I flag
  store32(f.data() + 4, vni << 8);
  append(f, inner);
  return f;
}

std::vector<uint8_t> inner_of(const TunnelCapture::Datagram& d) { return {d.bytes.begin() + 8, d.bytes.end()}; }

uint32_t vni_of(const TunnelCapture::Datagram& d) {
  return uint32_t{d.bytes[4]} << 16 | uint32_t{d.bytes[5]} << 8 | d.bytes[6];
}

GatewayStageTest::GatewayStageTest() {
  ports_.push_back(std::make_shared<FakePort>("eth1"));
  PortEntry e;
  e.io = ports_.back();
  e.uplink = true;
  e.uplink_vnis = {{0, kExternalVni}};
  table_->ports.push_back(e);
  Segment& outside = table_->segments[kExternalVni];
  outside.vni = kExternalVni;
  outside.network_id = "public";
  outside.uplink = kUplink;
  router_ = make_router("R", kTenantVni, kRouterMac, kExternalIp, kExternalMac, true, 0);
  install(router_, {{kFloatingIp, kVm1}});
  publish();
}

std::shared_ptr<route::RouterInstance> GatewayStageTest::make_router(const std::string& id, uint32_t inside_vni,
                                                                     const MacAddress& inside_mac,
                                                                     uint32_t external_ip,
                                                                     const MacAddress& external_mac,
                                                                     bool served_here, uint32_t gateway_vtep) {
  auto router = std::make_shared<route::RouterInstance>();
  router->router_id = id;
  router->interfaces = {{"rp-" + id, inside_vni, inside_mac, kRouterInside, 24}};
  router->routes.insert(0x0a000000, 24, {0, true, 0, false});
  route::RouteTarget to_external;
  to_external.external = true;
  router->routes.insert(0, 0, to_external);
  route::ExternalGateway external;
  external.network_id = "public";
  external.vni = kExternalVni;
  external.address = external_ip;
  external.prefix_length = 24;
  external.mac = external_mac;
  external.next_hop = kNextHop;
  external.enable_snat = true;
  external.gateway_vtep = gateway_vtep;
  external.served_here = served_here;
  router->external = external;
  return router;
}

void GatewayStageTest::install(const std::shared_ptr<const route::RouterInstance>& router,
                               const std::vector<std::pair<uint32_t, uint32_t>>& floating) {
  const route::RouterInterface& inside = router->interfaces[0];
  Segment& segment = table_->segments[inside.vni];
  segment.router_ports[inside.mac] = {router, 0};
  segment.arp[inside.address] = inside.mac;
  if (!router->external->served_here) return;
  Segment& outside = table_->segments[kExternalVni];
  auto gateway = std::make_shared<gateway::RouterGateway>();
  gateway->router = router;
  gateway->nat.external_ip = router->external->address;
  gateway->nat.enable_snat = true;
  for (const auto& [ip, fixed] : floating) {
    EXPECT_TRUE(gateway->nat.add_floating_ip(ip, fixed));
    outside.gateway_addresses[ip] = router->external->mac;
  }
  outside.gateway_addresses[router->external->address] = router->external->mac;
  outside.gateways[router->external->mac] = std::move(gateway);
}

void GatewayStageTest::publish() {
  ++table_->version;
  pipeline_.set_table(table_.get());
}

void GatewayStageTest::move_gateway_away(uint32_t gateway_vtep) {
  Segment& outside = table_->segments[kExternalVni];
  outside.gateways.clear();
  outside.gateway_addresses.clear();
  router_ = make_router("R", kTenantVni, kRouterMac, kExternalIp, kExternalMac, false, gateway_vtep);
  install(router_);
  table_->segments[kTenantVni].vteps.insert(gateway_vtep);
  table_->known_vteps.insert(gateway_vtep);
  publish();
}

void GatewayStageTest::from_uplink(const std::vector<uint8_t>& frame) {
  Batch batch;
  Packet* p = pool_.alloc();
  ASSERT_NE(p, nullptr);
  std::memcpy(p->data(), frame.data(), frame.size());
  p->set_length(static_cast<uint32_t>(frame.size()));
  p->meta.in_port = kUplink;
  batch.push(p);
  pipeline_.process_uplink_rx(batch);
  EXPECT_TRUE(batch.empty());
}

void GatewayStageTest::resolve_next_hop() {
  from_port(0, ipv4_frame(kRouterMac, mac(1), kVm0, kServer, udp(999, 53)));
  ASSERT_EQ(uplink().sent_count(), 1u);
  ASSERT_EQ(uplink().sent()[0], arp_frame(1, MacAddress::broadcast(), kExternalMac, kExternalIp, MacAddress{}, kNextHop));
  from_uplink(arp_frame(2, kExternalMac, kNextHopMac, kNextHop, kExternalMac, kExternalIp));
  uplink().clear_sent();
}

uint64_t GatewayStageTest::counter(const std::string& stage, const std::string& name) {
  nlohmann::json stages = nlohmann::json::object();
  pipeline_.add_counters(stages);
  const auto& value = stages[stage][name];
  EXPECT_TRUE(value.is_number_unsigned()) << "no counter " << stage << "." << name;
  return value.is_number_unsigned() ? value.get<uint64_t>() : 0;
}

}  // namespace overcast::dataplane::testing
