#include "net/ipv4.h"

namespace overcast::net {

ParsedIpv4 parse_ipv4(const uint8_t* data, size_t length) {
  ParsedIpv4 out;
  if (length < sizeof(Ipv4Header)) return out;
  const auto* h = header_at<Ipv4Header>(data);
  const size_t ihl = h->header_length();
  const size_t total = h->total_length.host();
  if (h->version() != 4 || ihl < sizeof(Ipv4Header) || total < ihl || total > length) return out;
  out.header = h;
  out.header_length = ihl;
  out.total_length = total;
  return out;
}

uint16_t internet_checksum(const uint8_t* data, size_t length) {
  uint64_t sum = 0;
  size_t i = 0;
  for (; i + 1 < length; i += 2) sum += (uint32_t{data[i]} << 8) | data[i + 1];
  if (i < length) sum += uint32_t{data[i]} << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

void set_ipv4_checksum(Ipv4Header* header) {
  header->checksum = be16::from_host(0);
  header->checksum =
      be16::from_host(internet_checksum(reinterpret_cast<const uint8_t*>(header), header->header_length()));
}

bool ipv4_checksum_ok(const Ipv4Header* header) {
  return internet_checksum(reinterpret_cast<const uint8_t*>(header), header->header_length()) == 0;
}

}  // namespace overcast::net
