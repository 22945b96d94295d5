// Counters as JSON for counters_json(); several workers' values are summed.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "dataplane/core/counters.h"
#include "dataplane/core/drop_reason.h"

namespace overcast::dataplane {

// stages[stage][name] += value, for every counter of the set.
void add_counter_set(nlohmann::json& stages, std::string_view stage, const CounterSet& counters);
// drops[reason] += value, for every reason (zeros included, so the shape is stable).
void add_drop_counters(nlohmann::json& drops, const DropCounters& counters);

}  // namespace overcast::dataplane
