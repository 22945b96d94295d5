#include "cli/client/neutron_client.h"

#include <httplib.h>

namespace overcast::cli {
namespace {

constexpr time_t kConnectTimeoutSeconds = 3;
constexpr time_t kReadTimeoutSeconds = 30;
constexpr size_t kMaxQuotedBody = 200;

const char* reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

std::string describe_transport_error(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "connection refused or host unreachable";
    case httplib::Error::Read:
      return "no complete response (connection closed or read timed out)";
    case httplib::Error::Write:
      return "could not send the request";
    case httplib::Error::ConnectionTimeout:
      return "connection timed out";
    case httplib::Error::ExceedRedirectCount:
      return "too many redirects";
    case httplib::Error::SSLConnection:
      return "TLS handshake failed";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate could not be verified";
    default:
      return httplib::to_string(error);
  }
}

// The API's own words when it sent a NeutronError; otherwise the status line and the start
// of whatever came back (a proxy's HTML page, a stack trace), so the operator sees something.
std::string describe_http_error(int status, const nlohmann::json& body,
                                const std::string& raw_body) {
  if (body.is_object()) {
    if (auto it = body.find("NeutronError"); it != body.end()) {
      if (it->is_object() && it->contains("message") && (*it)["message"].is_string()) {
        return (*it)["message"].get<std::string>();
      }
      if (it->is_string()) return it->get<std::string>();
    }
    if (auto it = body.find("message"); it != body.end() && it->is_string()) {
      return it->get<std::string>();
    }
  }
  std::string message = "HTTP " + std::to_string(status);
  if (*reason_phrase(status) != '\0') message += std::string(" ") + reason_phrase(status);
  if (!raw_body.empty()) {
    message += ": " + raw_body.substr(0, kMaxQuotedBody);
    if (raw_body.size() > kMaxQuotedBody) message += "...";
  }
  return message;
}

}  // namespace

NeutronClient::NeutronClient(std::string endpoint) : endpoint_text_(std::move(endpoint)) {
  endpoint_ = Endpoint::parse(endpoint_text_, endpoint_error_);
}

ApiResult NeutronClient::get(const std::string& path) const { return send("GET", path, nullptr); }

ApiResult NeutronClient::post(const std::string& path, const nlohmann::json& body) const {
  return send("POST", path, &body);
}

ApiResult NeutronClient::put(const std::string& path, const nlohmann::json& body) const {
  return send("PUT", path, &body);
}

ApiResult NeutronClient::del(const std::string& path) const {
  return send("DELETE", path, nullptr);
}

ApiResult NeutronClient::send(const char* method, const std::string& path,
                              const nlohmann::json* body) const {
  ApiResult result;
  if (!endpoint_) {
    result.error = endpoint_error_;
    return result;
  }
  // A fresh connection per request keeps the client stateless and shareable between threads;
  // the CLI makes a handful of requests per run, so keep-alive would buy nothing.
  httplib::Client http(endpoint_->scheme_host_port());
  http.set_connection_timeout(kConnectTimeoutSeconds);
  http.set_read_timeout(kReadTimeoutSeconds);
  http.set_write_timeout(kReadTimeoutSeconds);
  const httplib::Headers headers = {{"Accept", "application/json"},
                                    {"User-Agent", "overcast-cli"}};
  const std::string full_path = endpoint_->base_path + path;
  const std::string payload = body ? body->dump() : std::string();
  const std::string method_name = method;

  httplib::Result response = [&] {
    if (method_name == "GET") return http.Get(full_path, headers);
    if (method_name == "POST") return http.Post(full_path, headers, payload, "application/json");
    if (method_name == "PUT") return http.Put(full_path, headers, payload, "application/json");
    return http.Delete(full_path, headers);
  }();

  if (!response) {
    result.error = "cannot reach the controller at " + endpoint_->to_string() + ": " +
                   describe_transport_error(response.error());
    return result;
  }
  result.status = response->status;
  const std::string& raw = response->body;
  if (!raw.empty()) {
    result.body = nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);
    if (result.body.is_discarded()) result.body = nullptr;
  }
  if (result.status < 200 || result.status >= 300) {
    result.error = describe_http_error(result.status, result.body, raw);
  } else if (!raw.empty() && result.body.is_null()) {
    result.error = "the controller sent a response that is not JSON: " +
                   raw.substr(0, kMaxQuotedBody);
  }
  return result;
}

ApiResult NeutronClient::lookup(const std::string& collection, const std::string& name_or_id,
                                const std::string& name_field) const {
  const std::string kind = singular_of(collection);
  ApiResult result;
  if (name_or_id.empty()) {
    result.status = 400;
    result.error = "empty " + kind + " name or ID";
    return result;
  }
  const std::string base = "/v2.0/" + collection;

  ApiResult by_id = get(base + "/" + url_encode(name_or_id));
  if (by_id.ok()) {
    if (by_id.body.is_object() && by_id.body.contains(kind) && by_id.body[kind].is_object()) {
      by_id.body = by_id.body[kind];
      return by_id;
    }
    by_id.status = 502;
    by_id.error = "the controller's answer for " + kind + " '" + name_or_id +
                  "' has no \"" + kind + "\" object";
    return by_id;
  }
  // Anything but "no such ID" (a down controller, a 500) is the answer; a malformed ID may
  // be refused with 400 by a strict server, and is then tried as a name.
  if (by_id.status != 404 && by_id.status != 400) return by_id;

  ApiResult by_name = get(with_query(base, {{name_field, name_or_id}}));
  if (!by_name.ok()) return by_name;
  const std::string key = list_key_of(collection);
  if (!by_name.body.is_object() || !by_name.body.contains(key) || !by_name.body[key].is_array()) {
    by_name.status = 502;
    by_name.error = "the controller's " + collection + " list has no \"" + key + "\" array";
    return by_name;
  }
  // Filter again here: a server that ignores the query filter must not make us pick a stranger.
  std::vector<nlohmann::json> matches;
  for (const auto& item : by_name.body[key]) {
    if (item.is_object() && item.contains(name_field) && item[name_field] == name_or_id) {
      matches.push_back(item);
    }
  }
  if (matches.empty()) {
    result.status = 404;
    result.error = "no " + kind + " with " + name_field + " or ID '" + name_or_id + "'";
    return result;
  }
  if (matches.size() > 1) {
    result.status = 409;
    result.error = "more than one " + kind + " has " + name_field + " '" + name_or_id +
                   "'; use the ID:";
    for (const auto& item : matches) {
      result.error += " " + (item.contains("id") && item["id"].is_string()
                                 ? item["id"].get<std::string>()
                                 : std::string("?"));
    }
    return result;
  }
  result.status = 200;
  result.body = matches.front();
  return result;
}

std::optional<nlohmann::json> NeutronClient::find(const std::string& collection,
                                                  const std::string& name_or_id,
                                                  std::string& error,
                                                  const std::string& name_field) const {
  ApiResult result = lookup(collection, name_or_id, name_field);
  if (!result.ok()) {
    error = result.error;
    return std::nullopt;
  }
  return std::move(result.body);
}

std::string list_key_of(const std::string& collection) {
  std::string key = collection;
  for (char& c : key) {
    if (c == '-') c = '_';
  }
  return key;
}

std::string singular_of(const std::string& collection) {
  std::string kind = collection;
  if (kind.size() > 3 && kind.ends_with("ies")) {
    kind = kind.substr(0, kind.size() - 3) + "y";
  } else if (kind.size() > 1 && kind.back() == 's') {
    kind.pop_back();
  }
  // Paths use dashes ("security-groups"), bodies underscores ("security_group").
  for (char& c : kind) {
    if (c == '-') c = '_';
  }
  return kind;
}

std::string with_query(const std::string& path,
                       const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out = path;
  char separator = path.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [key, value] : params) {
    out += separator;
    out += url_encode(key) + "=" + url_encode(value);
    separator = '&';
  }
  return out;
}

}  // namespace overcast::cli
