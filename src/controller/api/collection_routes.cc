#include "controller/api/collection_routes.h"

#include <algorithm>

#include "controller/api/http_io.h"
#include "controller/api/list_query.h"

namespace overcast::controller::api {

using nlohmann::json;

void send_method_not_allowed(httplib::Response& res) {
  send_error(res, ModelError{405, "HTTPMethodNotAllowed", "The method is not allowed for this resource."});
}

std::string project_of(const httplib::Request& req, const std::string& default_project) {
  for (const char* header : {"X-Project-Id", "X-Tenant-Id"}) {
    std::string value = req.get_header_value(header);
    if (!value.empty()) return value;
  }
  return default_project;
}

namespace {

void handle_list(const Collection& c, const std::string& default_project, const httplib::Request& req,
                 httplib::Response& res) {
  auto query = parse_list_query(req.params);
  if (!query) return send_error(res, query.error());
  if (c.before_list) {
    if (Status error = c.before_list(project_of(req, default_project))) return send_error(res, *error);
  }
  const ListQuery& q = query.value();
  std::vector<json> items;
  for (auto& item : c.list()) {
    if (matches_filters(item, q)) items.push_back(std::move(item));
  }
  size_t begin = 0;
  if (q.marker) {
    auto it = std::find_if(items.begin(), items.end(),
                           [&](const json& item) { return item.value("id", "") == *q.marker; });
    if (it == items.end()) {
      return send_error(res, ModelError::not_found("MarkerNotFound", "Marker " + *q.marker + " could not be found."));
    }
    begin = static_cast<size_t>(it - items.begin()) + 1;
  }
  size_t end = items.size();
  if (q.limit && *q.limit < end - begin) end = begin + *q.limit;  // no overflow for huge limits
  json out = json::array();
  for (size_t i = begin; i < end; ++i) out.push_back(select_fields(items[i], q.fields));
  json body{{c.plural, out}};
  if (q.limit && end < items.size() && end > begin) {
    std::string path_name = c.plural;
    std::replace(path_name.begin(), path_name.end(), '_', '-');
    std::string next = base_url(req) + "/v2.0/" + path_name + "?limit=" + std::to_string(*q.limit) +
                       "&marker=" + items[end - 1].value("id", "");
    body[c.plural + "_links"] = json::array({{{"rel", "next"}, {"href", next}}});
  }
  send_json(res, 200, body);
}

void handle_create(const Collection& c, const std::string& default_project, const httplib::Request& req,
                   httplib::Response& res) {
  auto envelope = read_envelope(req, c.singular, c.plural, true);
  if (!envelope) return send_error(res, envelope.error());
  auto created = c.create(envelope.value().bodies, project_of(req, default_project));
  if (!created) return send_error(res, created.error());
  if (envelope.value().bulk) return send_json(res, 201, json{{c.plural, created.value()}});
  send_json(res, 201, json{{c.singular, created.value().front()}});
}

void handle_show(const Collection& c, const httplib::Request& req, httplib::Response& res) {
  auto item = c.show(req.matches[1]);
  if (!item) return send_error(res, item.error());
  auto query = parse_list_query(req.params);
  if (!query) return send_error(res, query.error());
  send_json(res, 200, json{{c.singular, select_fields(item.value(), query.value().fields)}});
}

void handle_update(const Collection& c, const httplib::Request& req, httplib::Response& res) {
  auto envelope = read_envelope(req, c.singular, c.plural, false);
  if (!envelope) return send_error(res, envelope.error());
  auto item = c.update(req.matches[1], envelope.value().bodies.front());
  if (!item) return send_error(res, item.error());
  send_json(res, 200, json{{c.singular, item.value()}});
}

void handle_delete(const Collection& c, const httplib::Request& req, httplib::Response& res) {
  if (Status error = c.remove(req.matches[1])) return send_error(res, *error);
  res.status = 204;
}

}  // namespace

void add_collection_routes(httplib::Server& server, const Collection& c, const std::string& default_project) {
  // Bodies say "security_groups", paths "security-groups".
  std::string path_name = c.plural;
  std::replace(path_name.begin(), path_name.end(), '_', '-');
  const std::string collection_path = "/v2\\.0/" + path_name + "/?";
  const std::string member_path = "/v2\\.0/" + path_name + "/([^/]+)";
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) { send_method_not_allowed(res); };

  server.Get(collection_path, [c, default_project](const httplib::Request& req, httplib::Response& res) {
    handle_list(c, default_project, req, res);
  });
  if (c.create) {
    server.Post(collection_path, [c, default_project](const httplib::Request& req, httplib::Response& res) {
      handle_create(c, default_project, req, res);
    });
  } else {
    server.Post(collection_path, not_allowed);
  }
  server.Put(collection_path, not_allowed);
  server.Delete(collection_path, not_allowed);
  server.Patch(collection_path, not_allowed);

  server.Get(member_path, [c](const httplib::Request& req, httplib::Response& res) { handle_show(c, req, res); });
  if (c.update) {
    server.Put(member_path, [c](const httplib::Request& req, httplib::Response& res) { handle_update(c, req, res); });
  } else {
    server.Put(member_path, not_allowed);
  }
  if (c.remove) {
    server.Delete(member_path, [c](const httplib::Request& req, httplib::Response& res) { handle_delete(c, req, res); });
  } else {
    server.Delete(member_path, not_allowed);
  }
  server.Post(member_path, not_allowed);
  server.Patch(member_path, not_allowed);
}

}  // namespace overcast::controller::api
