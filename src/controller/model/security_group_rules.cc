#include "controller/model/security_group_rules.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "common/ip_address.h"
#include "controller/model/ip_math.h"

namespace overcast::controller {

namespace {
constexpr int kTcp = 6, kUdp = 17, kIcmp = 1, kIcmpV6 = 58, kSctp = 132, kDccp = 33, kUdpLite = 136;

// The names Neutron accepts (neutron_lib.constants.IP_PROTOCOL_MAP), by number.
const std::map<std::string, int>& protocol_names() {
  static const std::map<std::string, int> names = {
      {"ah", 51},       {"dccp", 33},       {"egp", 8},       {"esp", 50},  {"gre", 47},    {"hopopt", 0},
      {"icmp", 1},      {"icmpv6", 58},     {"ipv6-icmp", 58}, {"igmp", 2},  {"ipip", 4},    {"ipv6-encap", 41},
      {"ipv6-frag", 44}, {"ipv6-nonxt", 59}, {"ipv6-opts", 60}, {"ipv6-route", 43}, {"ospf", 89}, {"pgm", 113},
      {"rsvp", 46},     {"sctp", 132},      {"tcp", 6},       {"udp", 17},  {"udplite", 136}, {"vrrp", 112}};
  return names;
}

ModelError invalid(const std::string& field, const std::string& reason) {
  return ModelError::bad_request("Invalid input for " + field + ". Reason: " + reason);
}

bool has_ports(int protocol) {
  return protocol == kTcp || protocol == kUdp || protocol == kSctp || protocol == kDccp || protocol == kUdpLite;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Text of a number 0..255, or nullopt.
std::optional<int> parse_protocol_number(const std::string& text) {
  int value = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < 0 || value > 255) {
    return std::nullopt;
  }
  return value;
}

Status check_ports(const SecurityGroupRule& rule, std::optional<int> protocol) {
  const bool any_port = rule.port_range_min || rule.port_range_max;
  if (!any_port) return std::nullopt;
  if (!protocol) {
    return ModelError{400, "SecurityGroupProtocolRequiredWithPorts",
                      "Must also specify protocol if port range is given (port_range_min, port_range_max)."};
  }
  if (*protocol == kIcmp || *protocol == kIcmpV6) {
    // For ICMP, min is the type and max the code; a code needs a type.
    if (!rule.port_range_min) {
      return ModelError{400, "SecurityGroupMissingIcmpType",
                        "ICMP code (port-range-max) " + std::to_string(*rule.port_range_max) +
                            " is provided but ICMP type (port-range-min) is missing."};
    }
    for (const auto& [field, value] : {std::pair{"port_range_min", rule.port_range_min},
                                       std::pair{"port_range_max", rule.port_range_max}}) {
      if (value && (*value < 0 || *value > 255)) {
        return ModelError{400, "SecurityGroupInvalidIcmpValue",
                          "Invalid value for ICMP " + std::string(field) + " (" +
                              (std::string(field) == "port_range_min" ? "type" : "code") + ") " +
                              std::to_string(*value) + ". It must be 0 to 255."};
      }
    }
    return std::nullopt;
  }
  if (!has_ports(*protocol)) {
    return ModelError{400, "SecurityGroupInvalidProtocolForPortRange",
                      "Invalid protocol " + *rule.protocol +
                          " for port range (port_range_min, port_range_max), only supported for TCP, UDP, "
                          "UDPLITE, SCTP and DCCP protocols."};
  }
  for (const auto& [field, value] : {std::pair{"port_range_min", rule.port_range_min},
                                     std::pair{"port_range_max", rule.port_range_max}}) {
    if (value && (*value < 1 || *value > 65535)) {
      return ModelError{400, "SecurityGroupInvalidPortValue",
                        "Invalid value for port " + std::to_string(*value) + " (" + field + "): 1..65535."};
    }
  }
  if (rule.port_range_min && rule.port_range_max && *rule.port_range_min > *rule.port_range_max) {
    return ModelError{400, "SecurityGroupInvalidPortRange",
                      "For TCP/UDP protocols, port_range_min (" + std::to_string(*rule.port_range_min) +
                          ") must be <= port_range_max (" + std::to_string(*rule.port_range_max) + ")."};
  }
  return std::nullopt;
}
}  // namespace

std::optional<int> protocol_number(const std::optional<std::string>& protocol) {
  if (!protocol) return std::nullopt;
  auto named = protocol_names().find(*protocol);
  if (named != protocol_names().end()) return named->second;
  return parse_protocol_number(*protocol);
}

Status apply_rule_rules(const SecurityGroupRuleCreate& request, SecurityGroupRule& rule) {
  if (request.direction != "ingress" && request.direction != "egress") {
    return invalid("direction", "'" + request.direction + "' is not in ['ingress', 'egress'].");
  }
  rule.direction = request.direction;
  rule.ethertype = request.ethertype.value_or("IPv4");
  if (rule.ethertype != "IPv4" && rule.ethertype != "IPv6") {
    return invalid("ethertype", "'" + rule.ethertype + "' is not in ['IPv4', 'IPv6'].");
  }
  std::optional<int> number;
  rule.protocol.reset();
  if (request.protocol && !request.protocol->empty() && lower(*request.protocol) != "any") {
    std::string protocol = lower(*request.protocol);
    number = protocol_number(protocol);
    if (!number) {
      return ModelError{400, "SecurityGroupRuleInvalidProtocol",
                        "Security group rule protocol " + *request.protocol +
                            " not supported (protocol). Only protocol values tcp, udp, icmp, icmpv6 and integer "
                            "representations [0 to 255] are supported."};
    }
    if (rule.ethertype == "IPv4" && *number == kIcmpV6) {
      return invalid("protocol", "protocol " + protocol + " is only valid with ethertype IPv6.");
    }
    // IPv6's ICMP may be asked for by the IPv4 name; it means ICMPv6 there.
    if (rule.ethertype == "IPv6" && *number == kIcmp) {
      protocol = "ipv6-icmp";
      number = kIcmpV6;
    }
    rule.protocol = protocol;
  }
  rule.port_range_min = request.port_range_min;
  rule.port_range_max = request.port_range_max;
  if (Status e = check_ports(rule, number)) return e;
  // Neutron: a TCP/UDP range with only a minimum is that single port.
  if (number && has_ports(*number) && rule.port_range_min && !rule.port_range_max) {
    rule.port_range_max = rule.port_range_min;
  }
  if (request.remote_ip_prefix && request.remote_group_id) {
    return ModelError{400, "SecurityGroupRemoteGroupAndRemoteIpPrefix",
                      "Only remote_ip_prefix or remote_group_id may be provided, not both."};
  }
  rule.remote_ip_prefix.reset();
  if (request.remote_ip_prefix) {
    auto prefix = IpPrefix::parse(*request.remote_ip_prefix);
    if (!prefix) return invalid("remote_ip_prefix", "'" + *request.remote_ip_prefix + "' is not a valid IP prefix.");
    const std::string family = prefix->address.is_v4() ? "IPv4" : "IPv6";
    if (family != rule.ethertype) {
      return ModelError{400, "SecurityGroupRuleParameterConflict",
                        "Conflicting value ethertype " + rule.ethertype + " for CIDR " + *request.remote_ip_prefix +
                            " (remote_ip_prefix)."};
    }
    // Neutron stores the network, not the address as written.
    IpPrefix network{first_address(*prefix), prefix->length};
    rule.remote_ip_prefix = network.to_string();
  }
  rule.remote_group_id = request.remote_group_id;
  rule.description = request.description;
  return std::nullopt;
}

bool same_rule(const SecurityGroupRule& a, const SecurityGroupRule& b) {
  // An "any address" prefix is the same as none.
  auto prefix = [](const SecurityGroupRule& r) -> std::optional<std::string> {
    if (r.remote_ip_prefix == "0.0.0.0/0" || r.remote_ip_prefix == "::/0") return std::nullopt;
    return r.remote_ip_prefix;
  };
  return a.security_group_id == b.security_group_id && a.direction == b.direction && a.ethertype == b.ethertype &&
         protocol_number(a.protocol) == protocol_number(b.protocol) && a.port_range_min == b.port_range_min &&
         a.port_range_max == b.port_range_max && prefix(a) == prefix(b) && a.remote_group_id == b.remote_group_id;
}

std::vector<SecurityGroupRuleCreate> initial_rules(const SecurityGroup& group, bool is_default) {
  std::vector<SecurityGroupRuleCreate> rules;
  for (const char* ethertype : {"IPv4", "IPv6"}) {
    SecurityGroupRuleCreate egress;
    egress.project_id = group.project_id;
    egress.security_group_id = group.id;
    egress.direction = "egress";
    egress.ethertype = ethertype;
    rules.push_back(egress);
    if (is_default) {
      SecurityGroupRuleCreate ingress = egress;
      ingress.direction = "ingress";
      ingress.remote_group_id = group.id;
      rules.push_back(ingress);
    }
  }
  return rules;
}

}  // namespace overcast::controller
