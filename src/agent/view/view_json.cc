#include "agent/view/view_json.h"

#include "agent/view/agent_view_sink.h"

namespace overcast::agent {

namespace {

nlohmann::json strings(const google::protobuf::RepeatedPtrField<std::string>& list) {
  return nlohmann::json(std::vector<std::string>(list.begin(), list.end()));
}

nlohmann::json pairs_json(const sb::LocalPortEntry& port) {
  auto pairs = nlohmann::json::array();
  for (const auto& pair : port.allowed_address_pairs()) {
    pairs.push_back({{"ip_address", pair.ip_address()}, {"mac_address", pair.mac_address()}});
  }
  return pairs;
}

}  // namespace

nlohmann::json render_view_json(const ViewMap& view, const std::map<std::string, LocalPortState>& ports,
                                const ViewSinkStats& stats, const PortSlots& slots) {
  auto networks = nlohmann::json::array();
  auto local_ports = nlohmann::json::array();
  auto remote_ports = nlohmann::json::array();
  auto subnets = nlohmann::json::array();
  auto routers = nlohmann::json::array();
  auto security_groups = nlohmann::json::array();
  size_t up = 0;
  for (const auto& [key, entry] : view) {
    if (entry.has_network()) {
      const auto& n = entry.network();
      networks.push_back({{"key", key},
                          {"network_id", n.network_id()},
                          {"vni", n.vni()},
                          {"mtu", n.mtu() != 0 ? n.mtu() : kDefaultMtu},
                          {"encapsulation", n.encapsulation().empty() ? "vxlan" : n.encapsulation()},
                          {"flood_vteps", strings(n.flood_vteps())},
                          {"routed_vteps", strings(n.routed_vteps())}});
      if (!n.network_type().empty() && n.network_type() != "vxlan") {  // a provider network
        networks.back()["network_type"] = n.network_type();
        networks.back()["physical_network"] = n.physical_network();
        networks.back()["segmentation_id"] = n.segmentation_id();
      }
    } else if (entry.has_local_port()) {
      const auto& p = entry.local_port();
      auto state = ports.find(p.port_id());
      bool is_up = state != ports.end() && state->second.up();
      up += is_up ? 1 : 0;
      dataplane::PortSlot slot = slots.find(p.port_id());
      local_ports.push_back({{"key", key},
                             {"port_id", p.port_id()},
                             {"network_id", p.network_id()},
                             {"vni", p.vni()},
                             {"mac", p.mac()},
                             {"ips", strings(p.ips())},
                             {"tap_name", p.tap_name()},
                             {"admin_up", p.admin_up()},
                             {"port_security_enabled", p.port_security_enabled()},
                             {"allowed_address_pairs", pairs_json(p)},
                             {"security_groups", strings(p.security_groups())},
                             {"mtu", state != ports.end() ? state->second.spec.mtu : p.mtu()},
                             {"slot", slot == dataplane::kNoPort ? nlohmann::json(nullptr) : nlohmann::json(slot)},
                             {"status", is_up ? "up" : "down"},
                             {"error", state != ports.end() ? state->second.error : ""}});
    } else if (entry.has_subnet()) {
      const auto& s = entry.subnet();
      auto routes = nlohmann::json::array();
      for (const auto& route : s.host_routes()) {
        routes.push_back({{"destination", route.destination()}, {"nexthop", route.nexthop()}});
      }
      subnets.push_back({{"key", key},
                         {"subnet_id", s.subnet_id()},
                         {"network_id", s.network_id()},
                         {"ip_version", s.ip_version()},
                         {"cidr", s.cidr()},
                         {"gateway_ip", s.gateway_ip()},
                         {"enable_dhcp", s.enable_dhcp()},
                         {"dns_nameservers", strings(s.dns_nameservers())},
                         {"host_routes", routes}});
    } else if (entry.has_router()) {
      const auto& r = entry.router();
      auto interfaces = nlohmann::json::array();
      for (const auto& i : r.interfaces()) {
        interfaces.push_back({{"port_id", i.port_id()}, {"network_id", i.network_id()}, {"vni", i.vni()},
                              {"subnet_id", i.subnet_id()}, {"address", i.address()}, {"mac", i.mac()}});
      }
      auto routes = nlohmann::json::array();
      for (const auto& route : r.routes()) {
        routes.push_back({{"destination", route.destination()}, {"nexthop", route.nexthop()}});
      }
      nlohmann::json router = {{"key", key},           {"router_id", r.router_id()},   {"project_id", r.project_id()},
                               {"admin_up", r.admin_up()}, {"interfaces", interfaces}, {"routes", routes}};
      if (r.has_external()) {
        const auto& x = r.external();
        router["external"] = {{"network_id", x.network_id()},     {"address", x.address()},
                              {"mac", x.mac()},                   {"enable_snat", x.enable_snat()},
                              {"gateway_ip", x.gateway_ip()},     {"gateway_host", x.gateway_host()},
                              {"gateway_vtep", x.gateway_vtep()}};
        auto floating = nlohmann::json::array();
        for (const auto& f : r.floating_ips()) {
          floating.push_back({{"floating_ip", f.floating_ip()}, {"fixed_ip", f.fixed_ip()}, {"port_id", f.port_id()}});
        }
        router["floating_ips"] = floating;
      }
      routers.push_back(std::move(router));
    } else if (entry.has_security_group()) {
      security_groups.push_back({{"key", key},
                                 {"security_group_id", entry.security_group().security_group_id()},
                                 {"rules", entry.security_group().rules_size()}});
    } else if (entry.has_security_group_members()) {
      security_groups.push_back({{"key", key},
                                 {"security_group_id", entry.security_group_members().security_group_id()},
                                 {"members", strings(entry.security_group_members().addresses())}});
    } else if (entry.has_remote_port()) {
      const auto& p = entry.remote_port();
      remote_ports.push_back({{"key", key},
                              {"port_id", p.port_id()},
                              {"network_id", p.network_id()},
                              {"vni", p.vni()},
                              {"mac", p.mac()},
                              {"ips", strings(p.ips())},
                              {"vtep_ip", p.vtep_ip()}});
    }
  }
  nlohmann::json summary = {{"networks", networks.size()},
                            {"subnets", subnets.size()},
                            {"local_ports", local_ports.size()},
                            {"local_ports_up", up},
                            {"remote_ports", remote_ports.size()},
                            {"routers", routers.size()},
                            {"snapshots", stats.snapshots},
                            {"deltas", stats.deltas},
                            {"nacks", stats.nacks},
                            {"last_nack", stats.last_nack},
                            {"table_version", stats.table_version}};
  return {{"summary", summary},         {"networks", networks},          {"subnets", subnets},
          {"local_ports", local_ports}, {"remote_ports", remote_ports}, {"routers", routers},
          {"security_groups", security_groups}};
}

}  // namespace overcast::agent
