#include "controller/store/etcd_keys.h"

#include <charconv>
#include <cstdio>

namespace overcast::controller::etcd {

namespace {
bool needs_escape(char c) { return c == '%' || c == '/' || static_cast<unsigned char>(c) < 0x21; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool valid_endpoint(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  const std::string host = text.substr(0, colon);
  if (host.find(':') != std::string::npos && (host.front() != '[' || host.back() != ']')) return false;
  int port = 0;
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(first, last, port);
  return ec == std::errc{} && end == last && port >= 1 && port <= 65535;
}
}  // namespace

std::string escape_component(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (needs_escape(c)) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> unescape_component(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '/') return std::nullopt;
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;  // a '%' needs two hex digits after it
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::string prefix_range_end(const std::string& prefix) {
  std::string end = prefix;
  while (!end.empty()) {
    unsigned char last = static_cast<unsigned char>(end.back());
    if (last < 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');
}

KeyLayout::KeyLayout(std::string prefix)
    : model_prefix_(prefix + "/model/"), sequence_key_(prefix + "/model/!sequence") {}

std::string KeyLayout::record_key(const std::string& kind, const std::string& id) const {
  return model_prefix_ + escape_component(kind) + "/" + escape_component(id);
}

std::string KeyLayout::model_range_end() const { return prefix_range_end(model_prefix_); }

std::optional<RecordKey> KeyLayout::parse_record_key(const std::string& key) const {
  if (key.size() <= model_prefix_.size() || key.compare(0, model_prefix_.size(), model_prefix_) != 0) {
    return std::nullopt;
  }
  const std::string rest = key.substr(model_prefix_.size());
  const size_t slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size()) return std::nullopt;
  auto kind = unescape_component(rest.substr(0, slash));
  auto id = unescape_component(rest.substr(slash + 1));
  if (!kind || !id) return std::nullopt;
  return RecordKey{*kind, *id};
}

std::optional<std::vector<std::string>> parse_store_url(const std::string& url, std::string& error) {
  const std::string scheme = "etcd://";
  if (url.compare(0, scheme.size(), scheme) != 0) {
    error = "'" + url + "' does not start with etcd://";
    return std::nullopt;
  }
  std::vector<std::string> endpoints;
  std::string rest = url.substr(scheme.size());
  size_t start = 0;
  while (true) {
    const size_t comma = rest.find(',', start);
    std::string endpoint = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!valid_endpoint(endpoint)) {
      error = "etcd endpoint '" + endpoint + "' is not HOST:PORT";
      return std::nullopt;
    }
    endpoints.push_back(std::move(endpoint));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return endpoints;
}

}  // namespace overcast::controller::etcd
