// `lab up` and `lab down`: build or repair a whole lab, and remove every trace of one.
#pragma once

#include <iosfwd>

#include "cli/lab/lab_options.h"
#include "cli/lab/lab_state.h"

namespace overcast::cli::lab {

// Creates what is missing (namespaces, links, addresses), starts the controller and the
// agents that are not running (a restarted agent gets its VMs' TAPs back first), waits
// until the API answers and every agent is connected. Safe to re-run. Progress on `log`.
LabState lab_up(LabOptions options, std::ostream& log);

// Stops the lab's daemons (by PID file, and any overcast daemon whose command line names
// the state dir), kills what still runs in its namespaces, deletes every namespace and
// root-namespace link carrying the prefix and the state dir's files. Works without state.
void lab_down(const LabOptions& options, std::ostream& log);

// Loads <state-dir>/lab.json or throws LabError("no lab ... run `overcast lab up`").
LabState require_lab_state(const LabOptions& options);

}  // namespace overcast::cli::lab
