// A small HTTP/JSON client for the controller's OpenStack Networking v2.0 (Neutron) API.
// Used by the `overcast` CLI and by the lab; one request per call, no retries (the caller
// decides what a failure means). Each call opens its own connection, so one NeutronClient
// may be shared between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/client/endpoint.h"

namespace overcast::cli {

inline constexpr const char* kDefaultEndpoint = "http://127.0.0.1:9696";

struct ApiResult {
  int status = 0;       // HTTP status; 0 = no usable answer (cannot connect, timeout, bad endpoint)
  nlohmann::json body;  // parsed response body; null for 204 or an empty body
  std::string error;    // human message: NeutronError.message, or the transport error

  // 2xx and a well-formed body.
  bool ok() const { return status >= 200 && status < 300 && error.empty(); }
};

class NeutronClient {
 public:
  // `endpoint`: http://HOST[:PORT][/PREFIX] (see Endpoint::parse). A malformed endpoint is
  // not fatal here: every request then fails with status 0 and the parse error.
  explicit NeutronClient(std::string endpoint = kDefaultEndpoint);

  // Connect timeout 3 s, read/write timeout 30 s.
  ApiResult get(const std::string& path) const;
  ApiResult post(const std::string& path, const nlohmann::json& body) const;
  ApiResult put(const std::string& path, const nlohmann::json& body) const;
  ApiResult del(const std::string& path) const;

  // Resolves a resource of `collection` ("networks", "subnets", "ports", "agents") given its
  // ID or its name: GET /v2.0/<collection>/<id> first, then /v2.0/<collection>?<name_field>=.
  // On success: status 200 and body = the object itself (no envelope). Not found: 404;
  // the name matches several objects: 409 (the message lists their IDs). Transport and
  // server errors are passed through unchanged.
  ApiResult lookup(const std::string& collection, const std::string& name_or_id,
                   const std::string& name_field = "name") const;

  // lookup() for callers that only want the object: nullopt and `error` set on any failure.
  std::optional<nlohmann::json> find(const std::string& collection,
                                     const std::string& name_or_id, std::string& error,
                                     const std::string& name_field = "name") const;

  const std::string& endpoint() const { return endpoint_text_; }

 private:
  ApiResult send(const char* method, const std::string& path,
                 const nlohmann::json* body) const;

  std::string endpoint_text_;
  std::optional<Endpoint> endpoint_;
  std::string endpoint_error_;
};

// "networks" → "network", "policies" → "policy", "security-groups" → "security_group":
// the key of a single object's envelope.
std::string singular_of(const std::string& collection);

// "security-groups" → "security_groups": the key of a list answer (paths use dashes).
std::string list_key_of(const std::string& collection);

// path + "?k1=v1&k2=v2" with values percent-encoded; empty `params` returns `path`.
std::string with_query(const std::string& path,
                       const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace overcast::cli
