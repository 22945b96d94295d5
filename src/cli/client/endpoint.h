// The controller's API address as the operator writes it ("http://127.0.0.1:9696",
// "http://ctl.example:9696/neutron/"), split into what the HTTP client needs.
#pragma once

#include <optional>
#include <string>

namespace overcast::cli {

struct Endpoint {
  bool tls = false;  // https
  std::string host;
  int port = 9696;
  // Prepended to every request path, without a trailing '/' ("" or "/neutron"); lets the
  // API sit behind a reverse proxy under a prefix.
  std::string base_path;

  // Accepts http(s)://HOST[:PORT][/PREFIX] and bare HOST[:PORT] (http). HOST may be a
  // bracketed IPv6 literal. On failure sets `error`.
  static std::optional<Endpoint> parse(const std::string& text, std::string& error);
  // "http://HOST:PORT/PREFIX", canonical, for messages.
  std::string to_string() const;
  // "http://HOST:PORT" as cpp-httplib's Client wants it.
  std::string scheme_host_port() const;
};

// Percent-encodes everything but RFC 3986 unreserved characters, so a name with spaces,
// '/', '?' or '&' stays one path segment or one query value.
std::string url_encode(const std::string& text);

}  // namespace overcast::cli
