#include "common/ip_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace overcast {

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  char buf[16];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  in_addr a{};
  if (inet_pton(AF_INET, buf, &a) != 1) return std::nullopt;
  return Ipv4Address{ntohl(a.s_addr)};
}

std::string Ipv4Address::to_string() const {
  in_addr a{htonl(value)};
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, buf, sizeof buf);
  return buf;
}

std::optional<Ipv6Address> Ipv6Address::parse(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  Ipv6Address out;
  if (inet_pton(AF_INET6, buf, out.bytes.data()) != 1) return std::nullopt;
  return out;
}

std::string Ipv6Address::to_string() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  return buf;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.find(':') != std::string_view::npos) {
    if (auto v6 = Ipv6Address::parse(text)) return IpAddress{*v6};
    return std::nullopt;
  }
  if (auto v4 = Ipv4Address::parse(text)) return IpAddress{*v4};
  return std::nullopt;
}

std::string IpAddress::to_string() const {
  return is_v4() ? v4().to_string() : v6().to_string();
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  const std::string_view len_text = text.substr(slash + 1);
  int length = -1;
  auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), length);
  if (ec != std::errc{} || end != len_text.data() + len_text.size() || len_text.empty()) {
    return std::nullopt;
  }
  IpPrefix prefix{*address, length};
  if (length < 0 || length > prefix.max_length()) return std::nullopt;
  return prefix;
}

namespace {
// Bytes of an address in network order, 4 or 16 of them.
std::array<uint8_t, 16> address_bytes(const IpAddress& ip, size_t& count) {
  std::array<uint8_t, 16> out{};
  if (ip.is_v4()) {
    const uint32_t v = ip.v4().value;
    out = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
           static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
    count = 4;
  } else {
    out = ip.v6().bytes;
    count = 16;
  }
  return out;
}

bool bit_set(const std::array<uint8_t, 16>& bytes, int bit) {
  return bytes[bit / 8] & (0x80 >> (bit % 8));
}
}  // namespace

bool IpPrefix::is_network() const {
  size_t count = 0;
  const auto bytes = address_bytes(address, count);
  for (int bit = length; bit < static_cast<int>(count * 8); ++bit) {
    if (bit_set(bytes, bit)) return false;
  }
  return true;
}

bool IpPrefix::contains(const IpAddress& ip) const {
  if (ip.is_v4() != address.is_v4()) return false;
  size_t count = 0;
  const auto a = address_bytes(address, count);
  const auto b = address_bytes(ip, count);
  for (int bit = 0; bit < length; ++bit) {
    if (bit_set(a, bit) != bit_set(b, bit)) return false;
  }
  return true;
}

std::string IpPrefix::to_string() const {
  return address.to_string() + "/" + std::to_string(length);
}

}  // namespace overcast
