// Small helpers shared by the route handlers: JSON responses, Neutron's error
// envelope, and reading a request's resource envelope.
#pragma once

#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "controller/model/model_error.h"

namespace overcast::controller::api {

// {"NeutronError": {"type": ..., "message": ..., "detail": ""}}
nlohmann::json neutron_error_body(const ModelError& error);

void send_json(httplib::Response& res, int status, const nlohmann::json& body);
void send_error(httplib::Response& res, const ModelError& error);

// "http://HOST:PORT" as the client addressed us (the Host header), for links.
std::string base_url(const httplib::Request& req);

struct Envelope {
  std::vector<nlohmann::json> bodies;  // each the resource's attribute object
  bool bulk = false;                   // sent as {"<plural>": [...]}
};

// Parses a body that must be one JSON object (bounded nesting), e.g. an action's.
Result<nlohmann::json> read_json_object(const httplib::Request& req);

// Parses `{"<singular>": {...}}` or, when `allow_bulk`, `{"<plural>": [{...}, ...]}`.
Result<Envelope> read_envelope(const httplib::Request& req, const std::string& singular,
                                                  const std::string& plural, bool allow_bulk);

}  // namespace overcast::controller::api
