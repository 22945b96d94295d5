#include "cli/client/endpoint.h"

#include <charconv>

namespace overcast::cli {

std::optional<Endpoint> Endpoint::parse(const std::string& text, std::string& error) {
  Endpoint ep;
  std::string rest = text;
  const auto scheme_end = rest.find("://");
  if (scheme_end != std::string::npos) {
    const std::string scheme = rest.substr(0, scheme_end);
    if (scheme != "http" && scheme != "https") {
      error = "endpoint scheme must be http or https: " + text;
      return std::nullopt;
    }
    ep.tls = scheme == "https";
    rest = rest.substr(scheme_end + 3);
  }
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) {
    ep.base_path = rest.substr(slash);
    while (!ep.base_path.empty() && ep.base_path.back() == '/') ep.base_path.pop_back();
  }
  std::string port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) {
      error = "unterminated IPv6 address in endpoint: " + text;
      return std::nullopt;
    }
    ep.host = authority.substr(1, close - 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        error = "unexpected text after IPv6 address in endpoint: " + text;
        return std::nullopt;
      }
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    ep.host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
  }
  if (ep.host.empty()) {
    error = "endpoint has no host: " + text;
    return std::nullopt;
  }
  if (!port_text.empty() || authority.find(':') != std::string::npos) {
    int port = 0;
    const char* first = port_text.data();
    const char* last = first + port_text.size();
    const auto [ptr, ec] = std::from_chars(first, last, port);
    if (port_text.empty() || ec != std::errc{} || ptr != last || port < 1 || port > 65535) {
      error = "endpoint port must be 1-65535: " + text;
      return std::nullopt;
    }
    ep.port = port;
  }
  return ep;
}

std::string Endpoint::scheme_host_port() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

std::string Endpoint::to_string() const { return scheme_host_port() + base_path; }

std::string url_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0f];
    }
  }
  return out;
}

}  // namespace overcast::cli
