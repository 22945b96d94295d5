#include "cli/lab/unix_http.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace overcast::cli::lab {
namespace {

constexpr size_t kMaxResponseBytes = 16 * 1024 * 1024;

std::string lowercase(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Decodes a chunked body; nullopt if it is cut short or malformed.
std::optional<std::string> decode_chunked(const std::string& data) {
  std::string body;
  size_t pos = 0;
  while (true) {
    const size_t line_end = data.find("\r\n", pos);
    if (line_end == std::string::npos) return std::nullopt;
    size_t size = 0;
    try {
      size = std::stoul(data.substr(pos, line_end - pos), nullptr, 16);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    pos = line_end + 2;
    if (size == 0) return body;
    if (size > data.size() || pos + size > data.size()) return std::nullopt;
    body.append(data, pos, size);
    pos += size + 2;
  }
}

}  // namespace

std::optional<HttpReply> parse_http_response(const std::string& raw, std::string& error) {
  const size_t header_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || header_end == std::string::npos) {
    error = "not an HTTP response";
    return std::nullopt;
  }
  HttpReply reply;
  const size_t space = raw.find(' ');
  if (space == std::string::npos || space + 4 > header_end) {
    error = "malformed HTTP status line";
    return std::nullopt;
  }
  const std::string code = raw.substr(space + 1, 3);
  if (code.find_first_not_of("0123456789") != std::string::npos) {
    error = "malformed HTTP status code '" + code + "'";
    return std::nullopt;
  }
  reply.status = std::stoi(code);
  const std::string headers = lowercase(raw.substr(0, header_end));
  const std::string data = raw.substr(header_end + 4);
  if (headers.find("transfer-encoding: chunked") != std::string::npos) {
    auto body = decode_chunked(data);
    if (!body) {
      error = "truncated chunked HTTP body";
      return std::nullopt;
    }
    reply.body = std::move(*body);
    return reply;
  }
  const size_t length_at = headers.find("content-length:");
  if (length_at != std::string::npos) {
    size_t length = 0;
    try {
      length = std::stoul(headers.substr(length_at + 15));
    } catch (const std::exception&) {
      error = "malformed Content-Length";
      return std::nullopt;
    }
    if (data.size() < length) {
      error = "truncated HTTP body";
      return std::nullopt;
    }
    reply.body = data.substr(0, length);
    return reply;
  }
  reply.body = data;
  return reply;
}

std::optional<HttpReply> unix_http_get(const std::string& socket_path, const std::string& path,
                                       int timeout_ms, std::string& error) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof address.sun_path) {
    error = "control socket path too long: " + socket_path;
    return std::nullopt;
  }
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    return std::nullopt;
  }
  timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  auto fail = [&](const std::string& what) -> std::optional<HttpReply> {
    error = what;
    ::close(fd);
    return std::nullopt;
  };
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return fail("cannot connect to " + socket_path + ": " + std::strerror(errno));
  }
  const std::string request =
      "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("cannot send to " + socket_path + ": " + std::strerror(errno));
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buffer[8192];
  while (raw.size() < kMaxResponseBytes) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("no answer from " + socket_path + ": " + std::strerror(errno));
    if (n == 0) break;
    raw.append(buffer, static_cast<size_t>(n));
    // A server that ignores "Connection: close" still gets its complete answer parsed.
    std::string ignored;
    if (raw.find("\r\n\r\n") != std::string::npos && parse_http_response(raw, ignored) &&
        lowercase(raw).find("content-length:") != std::string::npos) {
      break;
    }
  }
  ::close(fd);
  return parse_http_response(raw, error);
}

}  // namespace overcast::cli::lab
