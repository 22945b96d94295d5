// HTTP GET over a unix stream socket: the agents' control endpoint. cpp-httplib 0.11 has
// no unix-socket client, and this needs only one request per connection.
#pragma once

#include <optional>
#include <string>

namespace overcast::cli::lab {

struct HttpReply {
  int status = 0;
  std::string body;
};

// Sends "GET <path> HTTP/1.1" with "Connection: close" and reads the whole answer
// (Content-Length, chunked, or until close). Bounded by `timeout_ms` per socket
// operation. nullopt with `error` set when there is no well-formed answer.
std::optional<HttpReply> unix_http_get(const std::string& socket_path, const std::string& path,
                                       int timeout_ms, std::string& error);

// Exposed for tests: parses one complete HTTP/1.x response.
std::optional<HttpReply> parse_http_response(const std::string& raw, std::string& error);

}  // namespace overcast::cli::lab
