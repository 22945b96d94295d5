#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "dataplane/dhcp/dhcp_codec.h"

namespace overcast::dataplane::dhcp {
namespace {

// A client message built by hand (the scapy test builds them independently).
std::vector<uint8_t> client_message(MessageType type, std::vector<uint8_t> options = {}) {
  std::vector<uint8_t> m(sizeof(DhcpHeader), 0);
  m[0] = 1;
  m[1] = 1;
  m[2] = 6;
  m[4] = 0xde; m[5] = 0xad; m[6] = 0xbe; m[7] = 0xef;
  const uint8_t mac[6] = {0xfa, 0x16, 0x3e, 0, 0, 1};
  std::memcpy(m.data() + 28, mac, 6);
  m[236] = 0x63; m[237] = 0x82; m[238] = 0x53; m[239] = 0x63;
  std::vector<uint8_t> tail = {option::kMessageType, 1, static_cast<uint8_t>(type)};
  tail.insert(tail.end(), options.begin(), options.end());
  tail.push_back(option::kEnd);
  for (uint8_t b : tail) m.push_back(b);
  return m;
}

Lease lease() {
  Lease l;
  l.address = 0x0a000005;
  l.prefix_length = 24;
  l.router = 0x0a000001;
  l.dns_servers = {0x08080808, 0x01010101};
  l.mtu = 1450;
  l.host_routes = {{0xac100000, 12, 0x0a0000fe}};
  l.lease_seconds = 3600;
  return l;
}
const Server kServer{0x0a000002, MacAddress{{0xfa, 0x16, 0x3e, 0xff, 0, 2}}};

// Options of a built reply as (code -> bytes).
std::map<uint8_t, std::vector<uint8_t>> options_of(const uint8_t* p, size_t n) {
  std::map<uint8_t, std::vector<uint8_t>> out;
  for (size_t i = sizeof(DhcpHeader); i < n && p[i] != option::kEnd;) {
    if (p[i] == option::kPad) {
      ++i;
      continue;
    }
    out[p[i]] = std::vector<uint8_t>(p + i + 2, p + i + 2 + p[i + 1]);
    i += 2 + p[i + 1];
  }
  return out;
}

TEST(DhcpParse, DiscoverWithParameterList) {
  auto m = client_message(MessageType::kDiscover, {option::kParameterRequestList, 3, 1, 3, 121, 50, 4, 10, 0, 0, 9});
  Request r;
  ASSERT_EQ(parse_request(m.data(), m.size(), r), ParseError::kOk);
  EXPECT_EQ(r.type, MessageType::kDiscover);
  EXPECT_EQ(r.xid, 0xdeadbeefu);
  EXPECT_EQ(r.chaddr.to_string(), "fa:16:3e:00:00:01");
  EXPECT_TRUE(r.asks_for(121));
  EXPECT_FALSE(r.asks_for(6));
  EXPECT_EQ(r.requested_ip, 0x0a000009u);
}

TEST(DhcpParse, EveryTruncationAndCorruptionIsAReasonNotACrash) {
  auto m = client_message(MessageType::kRequest, {option::kRequestedIp, 4, 10, 0, 0, 5});
  Request r;
  for (size_t cut = 0; cut < m.size(); ++cut) EXPECT_NE(parse_request(m.data(), cut, r), ParseError::kOk) << cut;
  auto bad = m;
  bad[0] = 2;
  EXPECT_EQ(parse_request(bad.data(), bad.size(), r), ParseError::kNotRequest);
  bad = m;
  bad[2] = 16;
  EXPECT_EQ(parse_request(bad.data(), bad.size(), r), ParseError::kBadHardware);
  bad = m;
  bad[239] = 0;
  EXPECT_EQ(parse_request(bad.data(), bad.size(), r), ParseError::kBadMagic);
  bad = m;
  bad[244] = 200;  // option 50 claims 200 bytes
  EXPECT_EQ(parse_request(bad.data(), bad.size(), r), ParseError::kBadOption);
  auto no_type = client_message(MessageType::kDiscover);
  no_type[240] = option::kHostName;  // 53 becomes 12
  EXPECT_EQ(parse_request(no_type.data(), no_type.size(), r), ParseError::kNoMessageType);
  auto rogue = client_message(MessageType::kOffer);
  EXPECT_EQ(parse_request(rogue.data(), rogue.size(), r), ParseError::kServerMessage);
}

TEST(DhcpDecide, Rfc2131States) {
  const Lease l = lease();
  Request r;
  r.type = MessageType::kDiscover;
  EXPECT_EQ(decide_reply(r, l, kServer), MessageType::kOffer);
  r.type = MessageType::kRequest;
  r.server_id = kServer.address;
  r.requested_ip = l.address;
  EXPECT_EQ(decide_reply(r, l, kServer), MessageType::kAck);
  r.requested_ip = l.address + 1;
  EXPECT_EQ(decide_reply(r, l, kServer), MessageType::kNak);
  r.server_id = kServer.address + 1;
  EXPECT_EQ(decide_reply(r, l, kServer), std::nullopt) << "the client chose another server";
  r.server_id.reset();
  r.requested_ip.reset();
  r.ciaddr = l.address;  // renewing
  EXPECT_EQ(decide_reply(r, l, kServer), MessageType::kAck);
  r.ciaddr = l.address + 7;
  EXPECT_EQ(decide_reply(r, l, kServer), MessageType::kNak);
  r.type = MessageType::kRelease;
  EXPECT_EQ(decide_reply(r, l, kServer), std::nullopt);
}

TEST(DhcpBuild, OfferCarriesWhatWasAskedAndTheMandatoryOptions) {
  auto m = client_message(MessageType::kDiscover, {option::kParameterRequestList, 4, 1, 3, 26, 121});
  Request r;
  ASSERT_EQ(parse_request(m.data(), m.size(), r), ParseError::kOk);
  uint8_t out[600];
  const size_t n = build_reply(r, MessageType::kOffer, lease(), kServer, out, sizeof(out));
  ASSERT_GE(n, kMinMessageSize);
  const auto* h = reinterpret_cast<const DhcpHeader*>(out);
  EXPECT_EQ(h->op, 2);
  EXPECT_EQ(h->yiaddr.host(), 0x0a000005u);
  auto o = options_of(out, n);
  EXPECT_EQ(o[option::kMessageType], std::vector<uint8_t>{2});
  EXPECT_EQ(o[option::kServerId], (std::vector<uint8_t>{10, 0, 0, 2}));
  EXPECT_EQ(o[option::kSubnetMask], (std::vector<uint8_t>{255, 255, 255, 0}));
  EXPECT_EQ(o[option::kRouter], (std::vector<uint8_t>{10, 0, 0, 1}));
  EXPECT_EQ(o[option::kInterfaceMtu], (std::vector<uint8_t>{0x05, 0xaa}));
  EXPECT_EQ(o[option::kLeaseTime], (std::vector<uint8_t>{0, 0, 0x0e, 0x10}));
  // 172.16.0.0/12 via 10.0.0.254, then the default route via the gateway.
  EXPECT_EQ(o[option::kClasslessStaticRoutes], (std::vector<uint8_t>{12, 172, 16, 10, 0, 0, 254, 0, 10, 0, 0, 1}));
  EXPECT_FALSE(o.count(option::kDnsServers)) << "not in the parameter request list";
  EXPECT_EQ(build_reply(r, MessageType::kOffer, lease(), kServer, out, 250), 0u) << "no room is an error, not an overrun";
}

TEST(DhcpBuild, NakAndFrameAddressing) {
  Request r;
  r.type = MessageType::kRequest;
  r.chaddr = MacAddress{{2, 0, 0, 0, 0, 9}};
  uint8_t out[700];
  size_t n = build_reply_frame(r, MessageType::kNak, lease(), kServer, out, sizeof(out));
  ASSERT_GT(n, 0u);
  EXPECT_EQ(MacAddress::from_bytes(out), MacAddress::broadcast());
  n = build_reply_frame(r, MessageType::kAck, lease(), kServer, out, sizeof(out));
  EXPECT_EQ(MacAddress::from_bytes(out), r.chaddr) << "no broadcast flag: unicast to chaddr";
  Request parsed;
  EXPECT_EQ(parse_request_frame(out, n, parsed), ParseError::kNotDhcp) << "a reply goes to port 68";
}

}  // namespace
}  // namespace overcast::dataplane::dhcp

#include "dataplane/dhcp/dhcp_responder.h"
#include "packet_builder.h"

namespace overcast::dataplane::dhcp {
namespace {

// Ethernet + IPv4 + UDP 68 -> 67 around a client message, from `mac`.
std::vector<uint8_t> request_frame(const MacAddress& mac, const std::vector<uint8_t>& message) {
  auto udp = overcast::testing::udp_datagram(kClientPort, kServerPort, 0);
  for (uint8_t b : message) udp.push_back(b);
  overcast::testing::put16(udp, 4, static_cast<uint16_t>(udp.size()));
  const auto ip = overcast::testing::ipv4_packet(0, 0xffffffff, 17, udp);
  std::vector<uint8_t> f(6, 0xff);
  for (uint8_t b : mac.bytes) f.push_back(b);
  f.push_back(0x08);
  f.push_back(0x00);
  for (uint8_t b : ip) f.push_back(b);
  return f;
}

TEST(DhcpResponder, AnswersKnownPortsIgnoresUnknownAndPassesDisabledSubnets) {
  const MacAddress vm{{0xfa, 0x16, 0x3e, 0, 0, 1}}, stranger{{0xfa, 0x16, 0x3e, 0, 0, 2}},
      no_dhcp{{0xfa, 0x16, 0x3e, 0, 0, 3}};
  LeaseTable leases;
  leases[vm.to_u64()] = PortLease{true, lease(), kServer};
  leases[no_dhcp.to_u64()] = PortLease{false, lease(), kServer};
  DhcpResponder responder;
  uint8_t out[1500];
  size_t n = 0;
  const auto discover = client_message(MessageType::kDiscover);

  auto f = request_frame(vm, discover);
  ASSERT_EQ(responder.respond(leases, vm, f.data(), f.size(), out, sizeof(out), n), DhcpResponder::Outcome::kReply);
  Request parsed_reply;
  EXPECT_EQ(parse_request_frame(out, n, parsed_reply), ParseError::kNotDhcp) << "the reply goes to port 68";
  EXPECT_EQ(reinterpret_cast<const DhcpHeader*>(out + 42)->yiaddr.host(), lease().address);

  f = request_frame(stranger, discover);
  EXPECT_EQ(responder.respond(leases, stranger, f.data(), f.size(), out, sizeof(out), n), DhcpResponder::Outcome::kDrop);
  EXPECT_EQ(responder.counters().value(DhcpResponder::kUnknownMac), 1u);

  f = request_frame(no_dhcp, discover);
  EXPECT_EQ(responder.respond(leases, no_dhcp, f.data(), f.size(), out, sizeof(out), n), DhcpResponder::Outcome::kPass);

  auto bad = discover;
  bad[239] = 0;  // no magic cookie
  f = request_frame(vm, bad);
  EXPECT_EQ(responder.respond(leases, vm, f.data(), f.size(), out, sizeof(out), n), DhcpResponder::Outcome::kDrop);
  EXPECT_EQ(responder.counters().value(DhcpResponder::kParseErrorBase + static_cast<size_t>(ParseError::kBadMagic)),
            1u);

  f = request_frame(vm, client_message(MessageType::kRelease));
  EXPECT_EQ(responder.respond(leases, vm, f.data(), f.size(), out, sizeof(out), n), DhcpResponder::Outcome::kDrop);
  EXPECT_EQ(responder.counters().value(DhcpResponder::kSilent), 1u);

  const auto not_dhcp = overcast::testing::ipv4_packet(0x0a000005, 0x0a000001, 17,
                                                       overcast::testing::udp_datagram(5000, 53));
  std::vector<uint8_t> plain(12, 0x02);
  plain.push_back(0x08);
  plain.push_back(0x00);
  for (uint8_t b : not_dhcp) plain.push_back(b);
  EXPECT_EQ(responder.respond(leases, vm, plain.data(), plain.size(), out, sizeof(out), n), DhcpResponder::Outcome::kPass);
  EXPECT_EQ(responder.counters().value(DhcpResponder::kReplies), 1u);
}

// Without port security nothing vouches for the frame's source MAC: the lease answered is
// the asking port's own, and only to a request that is from that MAC and in its name.
TEST(DhcpResponder, AnswersOnlyTheAskingPortsOwnLease) {
  const MacAddress vm{{0xfa, 0x16, 0x3e, 0, 0, 1}}, neighbour{{0xfa, 0x16, 0x3e, 0, 0, 7}},
      nobody{{0xfa, 0x16, 0x3e, 0, 0, 9}};
  Lease neighbours_lease = lease();
  neighbours_lease.address = 0x0a000007;
  LeaseTable leases;
  leases[vm.to_u64()] = PortLease{true, lease(), kServer};
  leases[neighbour.to_u64()] = PortLease{true, neighbours_lease, kServer};
  DhcpResponder responder;
  uint8_t out[1500];
  size_t n = 0;
  const auto discover = client_message(MessageType::kDiscover);  // chaddr: vm's MAC

  // The neighbour's port sends vm's request (source and chaddr vm's MAC): not its own.
  auto f = request_frame(vm, discover);
  EXPECT_EQ(responder.respond(leases, neighbour, f.data(), f.size(), out, sizeof(out), n),
            DhcpResponder::Outcome::kDrop);
  EXPECT_EQ(responder.counters().value(DhcpResponder::kNotPortMac), 1u);

  // From its own MAC, but in vm's name (chaddr).
  f = request_frame(neighbour, discover);
  EXPECT_EQ(responder.respond(leases, neighbour, f.data(), f.size(), out, sizeof(out), n),
            DhcpResponder::Outcome::kDrop);
  EXPECT_EQ(responder.counters().value(DhcpResponder::kNotPortMac), 2u);

  // A port with no lease, sending from a MAC that has one: unknown, as before.
  f = request_frame(vm, discover);
  EXPECT_EQ(responder.respond(leases, nobody, f.data(), f.size(), out, sizeof(out), n),
            DhcpResponder::Outcome::kDrop);
  EXPECT_EQ(responder.counters().value(DhcpResponder::kUnknownMac), 1u);
  EXPECT_EQ(responder.counters().value(DhcpResponder::kReplies), 0u);

  // vm itself gets its own address.
  ASSERT_EQ(responder.respond(leases, vm, f.data(), f.size(), out, sizeof(out), n), DhcpResponder::Outcome::kReply);
  EXPECT_EQ(reinterpret_cast<const DhcpHeader*>(out + 42)->yiaddr.host(), lease().address);
}

}  // namespace
}  // namespace overcast::dataplane::dhcp
