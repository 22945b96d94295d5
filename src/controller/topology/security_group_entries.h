// How security-group facts become southbound view entries: "sg/<id>" (a group's rules)
// and "sgm/<id>" (a group's member addresses, for remote_group_id rules).
#pragma once

#include <string>
#include <vector>

#include "controller/topology/topology_listener.h"
#include "overcast/southbound.pb.h"

namespace overcast::controller {

namespace sb = overcast::southbound::v1;

std::string security_group_key(const std::string& group_id);
std::string security_group_members_key(const std::string& group_id);

sb::ViewEntry make_security_group_entry(const SecurityGroupFacts& group);
// `addresses` are sorted and de-duplicated here, so equal memberships make equal entries.
sb::ViewEntry make_security_group_members_entry(const std::string& group_id, std::vector<std::string> addresses);

}  // namespace overcast::controller
