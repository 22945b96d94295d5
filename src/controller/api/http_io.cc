#include "controller/api/http_io.h"

namespace overcast::controller::api {

using nlohmann::json;

json neutron_error_body(const ModelError& error) {
  return json{{"NeutronError", {{"type", error.type}, {"message", error.message}, {"detail", ""}}}};
}

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  // Bad UTF-8 in a stored name must not turn a read into an exception.
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& res, const ModelError& error) {
  send_json(res, error.http_status, neutron_error_body(error));
}

std::string base_url(const httplib::Request& req) {
  std::string host = req.get_header_value("Host");
  if (host.empty()) host = req.local_addr + ":" + std::to_string(req.local_port);
  return "http://" + host;
}

Result<json> read_json_object(const httplib::Request& req) {
  // No Neutron body nests deeper than a few levels; copying or printing a deeper one
  // recurses once per level, and a megabyte of '[' would overflow the stack.
  constexpr int kMaxDepth = 32;
  bool too_deep = false;
  json body = json::parse(
      req.body,
      [&too_deep](int depth, json::parse_event_t, json&) {
        if (depth > kMaxDepth) too_deep = true;
        return !too_deep;
      },
      false);
  if (too_deep) {
    return ModelError{400, "HTTPBadRequest", "Malformed request body: nested deeper than 32 levels"};
  }
  if (body.is_discarded()) return ModelError{400, "HTTPBadRequest", "Malformed request body: not JSON"};
  if (!body.is_object()) {
    return ModelError{400, "HTTPBadRequest", "Malformed request body: expected a JSON object"};
  }
  return body;
}

Result<Envelope> read_envelope(const httplib::Request& req, const std::string& singular,
                                        const std::string& plural, bool allow_bulk) {
  auto parsed = read_json_object(req);
  if (!parsed) return parsed.error();
  json& body = parsed.value();
  if (body.size() == 1 && body.contains(singular)) {
    if (!body[singular].is_object()) {
      return ModelError::bad_request("Invalid input: '" + singular + "' must be a dictionary of attributes.");
    }
    return Envelope{{body[singular]}, false};
  }
  if (allow_bulk && body.size() == 1 && body.contains(plural)) {
    const json& items = body[plural];
    if (!items.is_array() || items.empty()) {
      return ModelError::bad_request("Invalid input: '" + plural + "' must be a non-empty list of " + singular +
                                     " dictionaries.");
    }
    std::vector<json> out;
    for (const auto& item : items) {
      if (!item.is_object()) {
        return ModelError::bad_request("Invalid input: every entry of '" + plural + "' must be a dictionary.");
      }
      out.push_back(item);
    }
    return Envelope{std::move(out), true};
  }
  return ModelError::bad_request("Unable to find '" + singular + "' in request body");
}

}  // namespace overcast::controller::api
