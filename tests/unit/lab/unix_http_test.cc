#include "cli/lab/unix_http.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace overcast::cli::lab {
namespace {

TEST(HttpResponse, ContentLengthBody) {
  std::string error;
  const auto reply = parse_http_response(
      "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n{}{}extra", error);
  ASSERT_TRUE(reply) << error;
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "{}{}");
}

TEST(HttpResponse, ChunkedBody) {
  std::string error;
  const auto reply = parse_http_response(
      "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
      error);
  ASSERT_TRUE(reply) << error;
  EXPECT_EQ(reply->status, 404);
  EXPECT_EQ(reply->body, "abcde");
}

TEST(HttpResponse, RejectsTruncatedAndGarbage) {
  std::string error;
  EXPECT_FALSE(parse_http_response("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", error));
  EXPECT_FALSE(parse_http_response("garbage", error));
  EXPECT_FALSE(parse_http_response("HTTP/1.1 2x0 OK\r\n\r\n", error));
  EXPECT_FALSE(parse_http_response(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffff\r\nab", error));
  EXPECT_FALSE(parse_http_response(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", error));
}

TEST(UnixHttp, TalksToARealUnixSocketServer) {
  const std::string path = "/tmp/oc-lab-test-" + std::to_string(::getpid()) + ".sock";
  const int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  ::unlink(path.c_str());
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 1), 0);
  std::string request;
  std::thread server([&] {
    const int fd = ::accept(listener, nullptr, nullptr);
    char buffer[512];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) request.assign(buffer, static_cast<size_t>(n));
    const std::string answer =
        "HTTP/1.1 200 OK\r\nContent-Length: 18\r\n\r\n{\"connected\":true}";
    (void)!::write(fd, answer.data(), answer.size());
    ::close(fd);
  });
  std::string error;
  const auto reply = unix_http_get(path, "/status", 2000, error);
  server.join();
  ::close(listener);
  ::unlink(path.c_str());
  ASSERT_TRUE(reply) << error;
  EXPECT_EQ(reply->body, "{\"connected\":true}");
  EXPECT_EQ(request.rfind("GET /status HTTP/1.1\r\n", 0), 0u);
}

TEST(UnixHttp, MissingSocketIsAnError) {
  std::string error;
  EXPECT_FALSE(unix_http_get("/nonexistent/agent.sock", "/status", 500, error));
  EXPECT_NE(error.find("/nonexistent/agent.sock"), std::string::npos);
}

}  // namespace
}  // namespace overcast::cli::lab
