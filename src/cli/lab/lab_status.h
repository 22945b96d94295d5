// `lab status`: what the lab is made of and whether its daemons are alive, as JSON (for
// scripts: `overcast lab status --json`) or as a table for people.
#pragma once

#include <iosfwd>

#include <nlohmann/json.hpp>

#include "cli/lab/lab_options.h"

namespace overcast::cli::lab {

// {"prefix","api":"http://127.0.0.1:P","state_dir","mgmt_subnet",
//  "controller":{"pid","alive"},
//  "hosts":[{"name","underlay_ip","mgmt_ip","leaf","namespace","agent":{"pid","alive",
//            "connected"}}],
//  "vms":[{"name","host","port_id","ip","prefix_length","mac","mtu","namespace","tap",
//          "present"}]}
nlohmann::json lab_status(const LabOptions& options);

void print_lab_status(const nlohmann::json& status, std::ostream& out);

}  // namespace overcast::cli::lab
