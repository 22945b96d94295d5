// The view as the control socket shows it (GET /view):
//   {"summary": {"networks": N, "local_ports": N, "local_ports_up": N, "remote_ports": N,
//                "snapshots": N, "deltas": N, "nacks": N, "last_nack": "...", "table_version": N},
//    "networks":     [{"key","network_id","vni","mtu","encapsulation","flood_vteps":[...]}],
//    "local_ports":  [{"key","port_id","network_id","vni","mac","ips":[...],"tap_name","admin_up","mtu",
//                      "slot","status":"up"|"down","error","security_groups":[...]}],
//    "remote_ports": [{"key","port_id","network_id","vni","mac","ips":[...],"vtep_ip"}],
//    "security_groups": [{"key":"sg/<id>","security_group_id","rules":N} |
//                        {"key":"sgm/<id>","security_group_id","members":[...]}]}
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/view/local_ports.h"
#include "agent/view/view_validator.h"

namespace overcast::agent {

struct ViewSinkStats;

nlohmann::json render_view_json(const ViewMap& view, const std::map<std::string, LocalPortState>& ports,
                                const ViewSinkStats& stats, const PortSlots& slots);

}  // namespace overcast::agent
