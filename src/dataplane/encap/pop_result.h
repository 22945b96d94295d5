// What a Codec's pop_header reports; DecapStage maps it to a drop reason.
#pragma once

#include <cstdint>

namespace overcast::dataplane {

enum class PopResult : uint8_t { kOk, kRunt, kBadFlags };

}  // namespace overcast::dataplane
