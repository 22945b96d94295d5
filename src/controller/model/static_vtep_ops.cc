// Static VTEPs: hosts declared by the operator for VTEPs that run no Overcast agent
// (the Linux kernel's VXLAN, a hardware switch). They are Agent records of their own
// kind, so the rest of the model and the view compiler treat them as any host.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "common/ip_address.h"
#include "controller/model/identity.h"
#include "controller/model/logical_model.h"
#include "controller/model/static_vtep_rules.h"

namespace overcast::controller {

namespace {
constexpr size_t kMaxHostNameLength = 255;
constexpr size_t kMaxListedPorts = 5;

bool is_usable_host_name(const std::string& host) {
  if (host.empty() || host.size() > kMaxHostNameLength) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isgraph(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

bool is_unicast_v4(const Ipv4Address& address) {
  const uint32_t v = address.value;
  const uint32_t first_octet = v >> 24;
  return v != 0 && v != 0xffffffffu && first_octet != 0 && first_octet != 127 && first_octet < 224;
}

Status check_static_vtep_request(const StaticVtepCreate& request, std::string& underlay) {
  if (!is_usable_host_name(request.host)) {
    return ModelError::bad_request("Invalid input for host. Reason: '" + request.host +
                                   "' is not a host name of 1..255 printable characters without spaces.");
  }
  auto parsed = IpAddress::parse(request.underlay_ip);
  if (!parsed || !parsed->is_v4()) {
    return ModelError::bad_request("Invalid input for configurations.tunneling_ip. Reason: '" +
                                   request.underlay_ip + "' is not an IPv4 address.");
  }
  if (!is_unicast_v4(parsed->v4())) {
    return ModelError::bad_request("Invalid input for configurations.tunneling_ip. Reason: '" +
                                   request.underlay_ip + "' is not a unicast IPv4 address a VTEP can use.");
  }
  for (const auto& encapsulation : request.encapsulations) {
    if (encapsulation != kStaticVtepEncapsulation) {
      return ModelError::bad_request("Invalid input for configurations.tunnel_types. Reason: '" + encapsulation +
                                     "' is not supported for a static VTEP; supported: [\"vxlan\"].");
    }
  }
  underlay = parsed->to_string();
  return std::nullopt;
}

Status static_vtep_deletable(const ModelState& state, const Agent& vtep) {
  std::vector<std::string> bound;
  for (const auto& [id, port] : state.ports()) {
    if (port.binding_host_id == vtep.host) bound.push_back(id);
  }
  if (bound.empty()) return std::nullopt;
  std::string listed;
  for (size_t i = 0; i < bound.size() && i < kMaxListedPorts; ++i) listed += (i ? ", " : "") + bound[i];
  if (bound.size() > kMaxListedPorts) listed += ", ...";
  return ModelError::conflict("StaticVtepInUse", "Unable to delete static VTEP " + vtep.id + " of host " +
                                                     vtep.host + ": " + std::to_string(bound.size()) +
                                                     " port(s) are bound to it (" + listed +
                                                     "); delete or unbind them first.");
}

Status LogicalModel::create_static_vtep(Transaction& tx, const StaticVtepCreate& request, Agent& created) {
  std::string underlay;
  if (Status invalid = check_static_vtep_request(request, underlay)) return invalid;
  const ModelState& state = tx.state();
  if (const Agent* existing = state.find_agent_by_host(request.host)) {
    const char* what = existing->kind == HostKind::kStaticVtep ? "a static VTEP" : "an agent";
    return ModelError::conflict("HostInUse", "Host " + request.host + " is already known as " + what + " (" +
                                                 existing->id + ").");
  }
  for (const auto& [id, other] : state.agents()) {
    // Any record, live or not: the view compiler would see two hosts on one address.
    if (other.underlay_ip == underlay) {
      return ModelError::conflict("UnderlayIpInUse", "Underlay IP " + underlay + " is already used by host " +
                                                         other.host + ".");
    }
  }
  const std::string now = utc_timestamp_now();
  created = Agent{};
  created.id = make_uuid();
  created.kind = HostKind::kStaticVtep;
  created.host = request.host;
  created.underlay_ip = underlay;
  created.encapsulations = {kStaticVtepEncapsulation};
  created.admin_state_up = request.admin_state_up;
  created.description = request.description;
  created.created_at = now;
  created.started_at = now;
  tx.put_agent(created);
  return std::nullopt;
}

Result<std::vector<AgentView>> LogicalModel::create_static_vteps(const std::vector<StaticVtepCreate>& requests) {
  std::vector<Agent> created;
  Status error = run_write([&](Transaction& tx) -> Status {
    created.clear();  // the body runs again when a shared store found the model stale
    for (const auto& request : requests) {
      Agent agent;
      if (Status e = create_static_vtep(tx, request, agent)) return e;
      created.push_back(std::move(agent));
    }
    return std::nullopt;
  });
  if (error) return *error;
  std::vector<AgentView> views;
  {
    std::lock_guard live(liveness_mutex_);
    for (const auto& agent : created) {
      views.push_back(agent_view(agent));
      spdlog::info("static VTEP declared: host {} underlay {}", agent.host, agent.underlay_ip);
    }
  }
  return views;
}

}  // namespace overcast::controller
