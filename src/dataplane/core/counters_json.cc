#include "dataplane/core/counters_json.h"

#include <string>

namespace overcast::dataplane {
namespace {

void add_value(nlohmann::json& object, std::string_view key, uint64_t value) {
  nlohmann::json& slot = object[std::string(key)];
  slot = (slot.is_number() ? slot.get<uint64_t>() : 0) + value;
}

}  // namespace

void add_counter_set(nlohmann::json& stages, std::string_view stage, const CounterSet& counters) {
  nlohmann::json& object = stages[std::string(stage)];
  for (size_t i = 0; i < counters.size(); ++i) add_value(object, counters.name(i), counters.value(i));
}

void add_drop_counters(nlohmann::json& drops, const DropCounters& counters) {
  for (size_t i = 0; i < static_cast<size_t>(DropReason::kCount); ++i) {
    add_value(drops, kDropReasonNames[i], counters.value(static_cast<DropReason>(i)));
  }
}

}  // namespace overcast::dataplane
