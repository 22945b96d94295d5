// Test helper for dhcp_scapy_test.py: the DHCP codec's output checked by an independent
// decoder (scapy), and scapy's requests fed to the codec.
//   dhcp_scapy_tool replies OUT.pcap   writes an OFFER, an ACK and a NAK for fixed scenarios
//   dhcp_scapy_tool parse IN.pcap      prints one JSON object per frame: what the codec parsed
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "dataplane/dhcp/dhcp_codec.h"

using namespace overcast;
using namespace overcast::dataplane::dhcp;

namespace {

void put_le32(std::ofstream& out, uint32_t v) {
  const char b[4] = {char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
  out.write(b, 4);
}

bool write_pcap(const std::string& path, const std::vector<std::vector<uint8_t>>& frames) {
  std::ofstream out(path, std::ios::binary);
  put_le32(out, 0xa1b2c3d4);
  put_le32(out, 0x00040002);  // version 2.4
  put_le32(out, 0);
  put_le32(out, 0);
  put_le32(out, 65535);
  put_le32(out, 1);  // Ethernet
  for (const auto& f : frames) {
    put_le32(out, 0);
    put_le32(out, 0);
    put_le32(out, static_cast<uint32_t>(f.size()));
    put_le32(out, static_cast<uint32_t>(f.size()));
    out.write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size()));
  }
  return static_cast<bool>(out);
}

uint32_t le32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t{p[3]} << 24); }

bool read_pcap(const std::string& path, std::vector<std::vector<uint8_t>>& frames) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (all.size() < 24 || le32(all.data()) != 0xa1b2c3d4) return false;
  for (size_t at = 24; at + 16 <= all.size();) {
    const uint32_t n = le32(all.data() + at + 8);
    at += 16;
    if (at + n > all.size()) return false;
    frames.emplace_back(all.begin() + static_cast<long>(at), all.begin() + static_cast<long>(at + n));
    at += n;
  }
  return true;
}

std::string ip(uint32_t v) { return Ipv4Address{v}.to_string(); }

Lease scenario_lease() {
  Lease l;
  l.address = 0x0a000005;  // 10.0.0.5/24
  l.prefix_length = 24;
  l.router = 0x0a000001;
  l.dns_servers = {0x08080808, 0x01010101};
  l.domain_name = "example.org";
  l.mtu = 1450;
  l.host_routes = {{0xac100000, 12, 0x0a0000fe}};
  l.lease_seconds = 3600;
  return l;
}

int replies(const std::string& path) {
  const Server server{0x0a000002, *MacAddress::parse("fa:16:3e:ff:00:02")};
  const Lease lease = scenario_lease();
  std::vector<std::vector<uint8_t>> frames;
  auto add = [&](const Request& r, MessageType t) {
    std::vector<uint8_t> f(1500);
    f.resize(build_reply_frame(r, t, lease, server, f.data(), f.size()));
    frames.push_back(f);
  };
  Request discover;
  discover.type = MessageType::kDiscover;
  discover.xid = 0x11223344;
  discover.flags = kBroadcastFlag;
  discover.chaddr = *MacAddress::parse("fa:16:3e:00:00:05");
  discover.has_parameter_list = true;
  for (uint8_t c : {1, 3, 6, 15, 26, 28, 121}) discover.requested[c] = true;
  add(discover, MessageType::kOffer);

  Request request;  // no parameter request list: everything but 121
  request.type = MessageType::kRequest;
  request.xid = 0x55667788;
  request.chaddr = discover.chaddr;
  request.requested_ip = lease.address;
  request.server_id = server.address;
  add(request, MessageType::kAck);

  Request wrong = request;
  wrong.xid = 0x99aabbcc;
  wrong.requested_ip = 0x0a000063;
  add(wrong, MessageType::kNak);
  return write_pcap(path, frames) ? 0 : 1;
}

int parse(const std::string& path) {
  std::vector<std::vector<uint8_t>> frames;
  if (!read_pcap(path, frames)) return 1;
  for (const auto& f : frames) {
    Request r;
    const ParseError e = parse_request_frame(f.data(), f.size(), r);
    std::cout << "{\"result\":\"" << kParseErrorNames[static_cast<size_t>(e)] << "\"";
    if (e == ParseError::kOk) {
      std::cout << ",\"type\":" << int(r.type) << ",\"xid\":" << r.xid << ",\"chaddr\":\"" << r.chaddr.to_string()
                << "\",\"broadcast\":" << ((r.flags & kBroadcastFlag) ? "true" : "false") << ",\"ciaddr\":\""
                << ip(r.ciaddr) << "\"";
      if (r.requested_ip) std::cout << ",\"requested_ip\":\"" << ip(*r.requested_ip) << "\"";
      if (r.server_id) std::cout << ",\"server_id\":\"" << ip(*r.server_id) << "\"";
      if (r.has_parameter_list) {
        std::cout << ",\"prl\":[";
        const char* sep = "";
        for (int c = 0; c < 256; ++c)
          if (r.requested[c]) {
            std::cout << sep << c;
            sep = ",";
          }
        std::cout << "]";
      }
      if (r.max_message_size) std::cout << ",\"max_message_size\":" << r.max_message_size;
    }
    std::cout << "}\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "replies") return replies(argv[2]);
  if (argc == 3 && std::string(argv[1]) == "parse") return parse(argv[2]);
  std::cerr << "usage: dhcp_scapy_tool replies|parse FILE.pcap\n";
  return 2;
}
