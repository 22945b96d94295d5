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

Result<Envelope> read_envelope(const httplib::Request& req, const std::string& singular,
                                        const std::string& plural, bool allow_bulk) {
  json body;
  try {
    body = json::parse(req.body);
  } catch (const json::parse_error& e) {
    return ModelError{400, "HTTPBadRequest", std::string("Malformed request body: ") + e.what()};
  }
  if (!body.is_object()) {
    return ModelError{400, "HTTPBadRequest", "Malformed request body: expected a JSON object"};
  }
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
