#include "cli/main/arg_parsers.h"

#include <charconv>

#include "common/ip_address.h"

namespace overcast::cli {

std::optional<std::string> parse_ip(const std::string& text, const std::string& what,
                                    std::string& error) {
  auto ip = IpAddress::parse(text);
  if (!ip) {
    error = what + " '" + text + "' is not an IP address";
    return std::nullopt;
  }
  return ip->to_string();
}

std::optional<FixedIpSpec> parse_fixed_ip(const std::string& text, std::string& error) {
  FixedIpSpec spec;
  bool seen_subnet = false;
  bool seen_ip = false;
  std::string::size_type start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string pair = text.substr(start, comma - start);
    const auto equals = pair.find('=');
    const std::string key = pair.substr(0, equals);
    const std::string value = equals == std::string::npos ? "" : pair.substr(equals + 1);
    if (equals == std::string::npos || value.empty()) {
      error = "--fixed-ip '" + text + "': expected subnet=SUBNET and/or ip=IP";
      return std::nullopt;
    }
    if (key == "subnet" && !seen_subnet) {
      spec.subnet = value;
      seen_subnet = true;
    } else if ((key == "ip" || key == "ip-address") && !seen_ip) {
      auto ip = parse_ip(value, "--fixed-ip address", error);
      if (!ip) return std::nullopt;
      spec.ip = *ip;
      seen_ip = true;
    } else {
      error = "--fixed-ip '" + text + "': unknown or repeated key '" + key +
              "' (use subnet= and ip=)";
      return std::nullopt;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return spec;
}

std::optional<nlohmann::json> parse_allocation_pool(const std::string& text, std::string& error) {
  const auto dash = text.find('-');
  if (dash == std::string::npos) {
    error = "--pool '" + text + "': expected START-END";
    return std::nullopt;
  }
  auto start = IpAddress::parse(text.substr(0, dash));
  auto end = IpAddress::parse(text.substr(dash + 1));
  if (!start || !end) {
    error = "--pool '" + text + "': START and END must be IP addresses";
    return std::nullopt;
  }
  if (start->is_v4() != end->is_v4()) {
    error = "--pool '" + text + "': START and END must be of the same IP version";
    return std::nullopt;
  }
  if (*end < *start) {
    error = "--pool '" + text + "': START is after END";
    return std::nullopt;
  }
  return nlohmann::json{{"start", start->to_string()}, {"end", end->to_string()}};
}

std::optional<nlohmann::json> parse_gateway(const std::string& text, std::string& error) {
  if (text == "none") return nlohmann::json(nullptr);
  auto ip = parse_ip(text, "--gateway", error);
  if (!ip) {
    error += " (or 'none' for no gateway)";
    return std::nullopt;
  }
  return nlohmann::json(*ip);
}

namespace {
std::optional<int> parse_port(const std::string& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 65535) {
    return std::nullopt;
  }
  return value;
}
}  // namespace

std::optional<PortRange> parse_port_range(const std::string& text, std::string& error) {
  const auto colon = text.find(':');
  auto min = parse_port(text.substr(0, colon));
  auto max = colon == std::string::npos ? min : parse_port(text.substr(colon + 1));
  if (!min || !max) {
    error = "'" + text + "' is not PORT or MIN:MAX with ports 1..65535";
    return std::nullopt;
  }
  if (*min > *max) {
    error = "'" + text + "': the first port is above the last";
    return std::nullopt;
  }
  return PortRange{*min, *max};
}

}  // namespace overcast::cli
