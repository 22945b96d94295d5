// One point of the scale bench, end to end: start a controller, connect the
// simulated hosts, build the cloud, audit the views, churn, audit again, and
// return everything measured as JSON (the shape is documented in bench/scale/README.md).
#pragma once

#include <nlohmann/json.hpp>

#include "bench/scale/main/scale_options.h"

namespace overcast::bench {

// Throws on a failure that leaves nothing to measure (controller does not start,
// hosts do not connect, the API refuses the build).
nlohmann::json run_scale_point(const ScaleOptions& options);

// Whether a result met its correctness bar: converged, exact views after the build
// and after the churn, every churn change settled, no API error. Timings are
// reported, never judged here.
bool result_is_correct(const nlohmann::json& result, std::string& why);

}  // namespace overcast::bench
