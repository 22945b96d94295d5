// IPv4/IPv6 addresses and prefixes as value types, with text conversion.
// IPv4 values are kept in host byte order (uint32_t); wire code converts at the edge.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace overcast {

struct Ipv4Address {
  uint32_t value = 0;  // host byte order

  static std::optional<Ipv4Address> parse(std::string_view text);
  std::string to_string() const;
  auto operator<=>(const Ipv4Address&) const = default;
};

struct Ipv6Address {
  std::array<uint8_t, 16> bytes{};

  static std::optional<Ipv6Address> parse(std::string_view text);
  std::string to_string() const;
  auto operator<=>(const Ipv6Address&) const = default;
};

// An address of either family.
struct IpAddress {
  std::variant<Ipv4Address, Ipv6Address> value;

  static std::optional<IpAddress> parse(std::string_view text);
  bool is_v4() const { return std::holds_alternative<Ipv4Address>(value); }
  int version() const { return is_v4() ? 4 : 6; }
  const Ipv4Address& v4() const { return std::get<Ipv4Address>(value); }
  const Ipv6Address& v6() const { return std::get<Ipv6Address>(value); }
  std::string to_string() const;
  auto operator<=>(const IpAddress&) const = default;
};

// "10.0.0.0/24" or "2001:db8::/64". `address` is as written (host bits may be set);
// is_network() says whether they are all zero.
struct IpPrefix {
  IpAddress address;
  int length = 0;

  static std::optional<IpPrefix> parse(std::string_view text);
  bool is_network() const;
  bool contains(const IpAddress& ip) const;
  int max_length() const { return address.is_v4() ? 32 : 128; }
  std::string to_string() const;
};

}  // namespace overcast
